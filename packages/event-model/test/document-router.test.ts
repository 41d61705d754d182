import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composeRun } from "../src/compose/run-bundle.ts";
import { packDatumPage } from "../src/datum-pages.ts";
import { DocumentRouter, NOT_IMPLEMENTED, type RouterResult } from "../src/document-router.ts";
import type { NamedDocument } from "../src/documents.ts";
import {
  EventModelKeyError,
  EventModelValidationError,
  EventModelValueError,
} from "../src/errors.ts";
import { packEventPage } from "../src/pages.ts";
import type { Event, EventPage } from "../src/schemas/event.ts";
import type { Datum, DatumPage } from "../src/schemas/resource.ts";
import { assertValidReference } from "../src/testing/reference-schemas.ts";
import { sampleRun, withoutFilled } from "./helpers/sample-run.ts";

describe("DocumentRouter", () => {
  test("a plain router accepts a full run, also validating every outgoing document", () => {
    const { docs } = sampleRun();
    const router = new DocumentRouter();
    const strict = new DocumentRouter({ validate: true });
    for (const [name, doc] of docs) {
      const [outName, out] = router.route(name, doc);
      assert.equal(outName, name);
      assert.equal(out, doc);
      strict.route(name, doc);
      assertValidReference(name, out);
    }
  });

  test("a plain router accepts start, stream_resource, stream_datum, stop", () => {
    const run = composeRun();
    const det = run.composeDescriptor({
      name: "primary",
      data_keys: { img: { dtype: "array", shape: [2], source: "x", external: "STREAM:" } },
    });
    const sr = run.composeStreamResource({
      mimetype: "application/x-hdf5",
      uri: "file://localhost/a.h5",
      data_key: "img",
      parameters: {},
    });
    const sd = sr.composeStreamDatum({
      indices: { start: 0, stop: 2 },
      seq_nums: { start: 1, stop: 3 },
      descriptor: det.descriptorDoc.uid,
    });
    const router = new DocumentRouter({ validate: true });
    const docs: NamedDocument[] = [
      ["start", run.startDoc],
      ["descriptor", det.descriptorDoc],
      ["stream_resource", sr.streamResourceDoc],
      ["stream_datum", sd],
      ["stop", run.composeStop()],
    ];
    for (const [name, doc] of docs) assert.equal(router.route(name, doc)[1], doc);
  });

  test("an unknown document name is an EventModelKeyError", () => {
    assert.throws(
      () => new DocumentRouter().route("nonsense" as "start", sampleRun().start),
      (e: Error) => e instanceof EventModelKeyError && /"nonsense"/.test(e.message),
    );
  });

  test("validate checks the outgoing document", () => {
    class Breaker extends DocumentRouter {
      override start() {
        return { uid: 5 } as never;
      }
    }
    assert.throws(
      () => new Breaker({ validate: true }).route("start", sampleRun().start),
      EventModelValidationError,
    );
    assert.throws(
      () => new Breaker().route("start", sampleRun().start, { validate: true }),
      /\/uid: must be string/,
    );
  });

  test("a method returning nothing passes the input through; bulk forms become pages", () => {
    const pages: EventPage[] = [];
    class Pages extends DocumentRouter {
      override event_page(doc: EventPage) {
        pages.push(doc);
      }
    }
    const { primaryEvents } = sampleRun();
    const router = new Pages();
    const bulk = { primary: primaryEvents };
    assert.equal(router.route("bulk_events", bulk)[1], bulk);
    assert.deepStrictEqual(pages, [packEventPage(primaryEvents)]);
  });
});

/** Counts calls to event/event_page (or datum/datum_page) with configurable implementations. */
function makeCounter(kind: "event" | "datum", row: boolean, page: boolean) {
  const calls = { row: 0, page: 0 };
  class Counter extends DocumentRouter {
    override event(doc: Event): RouterResult<Event> {
      if (kind !== "event") return NOT_IMPLEMENTED;
      calls.row++;
      return row ? doc : NOT_IMPLEMENTED;
    }
    override event_page(doc: EventPage): RouterResult<EventPage> {
      if (kind !== "event") return NOT_IMPLEMENTED;
      calls.page++;
      return page ? doc : NOT_IMPLEMENTED;
    }
    override datum(doc: Datum): RouterResult<Datum> {
      if (kind !== "datum") return NOT_IMPLEMENTED;
      calls.row++;
      return row ? doc : NOT_IMPLEMENTED;
    }
    override datum_page(doc: DatumPage): RouterResult<DatumPage> {
      if (kind !== "datum") return NOT_IMPLEMENTED;
      calls.page++;
      return page ? doc : NOT_IMPLEMENTED;
    }
  }
  return { router: new Counter(), calls };
}

for (const kind of ["event", "datum"] as const) {
  const pageName = kind === "event" ? "event_page" : "datum_page";
  const rows = (): [Event | Datum, Event | Datum] => {
    const run = sampleRun();
    return kind === "event"
      ? [run.primaryEvents[0]!, run.primaryEvents[1]!]
      : [run.datums[0]!, run.datums[1]!];
  };
  const pack = (xs: (Event | Datum)[]) =>
    kind === "event" ? packEventPage(xs as Event[]) : packDatumPage(xs as Datum[]);
  const strip = (d: object) => (kind === "event" ? withoutFilled(d) : d);

  describe(`${kind} / ${pageName} conversions`, () => {
    test("neither implemented: one call each, a document comes back", () => {
      const [a, b] = rows();
      let { router, calls } = makeCounter(kind, false, false);
      assert.equal(router.route(kind, a as never)[1], a);
      assert.deepStrictEqual(calls, { row: 1, page: 1 });
      ({ router, calls } = makeCounter(kind, false, false));
      const page = pack([a, b]);
      assert.equal(router.route(pageName, page as never)[1], page);
      // Gives up after the first NOT_IMPLEMENTED row.
      assert.deepStrictEqual(calls, { row: 1, page: 1 });
    });

    test(`only ${kind}: a page is unpacked row by row and re-packed as a new equal page`, () => {
      const [a, b] = rows();
      let { router, calls } = makeCounter(kind, true, false);
      router.route(kind, a as never);
      assert.deepStrictEqual(calls, { row: 1, page: 0 });
      ({ router, calls } = makeCounter(kind, true, false));
      const page = pack([a, b]);
      const [, out] = router.route(pageName, page as never);
      assert.deepStrictEqual(calls, { row: 2, page: 1 });
      assert.notEqual(out, page);
      assert.deepStrictEqual(strip(out), strip(page));
    });

    test(`only ${pageName}: a row goes through a one-row page and comes back as a new equal row`, () => {
      const [a, b] = rows();
      let { router, calls } = makeCounter(kind, false, true);
      const [, out] = router.route(kind, a as never);
      assert.deepStrictEqual(calls, { row: 1, page: 1 });
      assert.notEqual(out, a);
      assert.deepStrictEqual(strip(out), strip(a));
      ({ router, calls } = makeCounter(kind, false, true));
      router.route(pageName, pack([a, b]) as never);
      assert.deepStrictEqual(calls, { row: 0, page: 1 });
    });

    test("both implemented: each name goes to its own method only", () => {
      const [a, b] = rows();
      const { router, calls } = makeCounter(kind, true, true);
      router.route(kind, a as never);
      assert.deepStrictEqual(calls, { row: 1, page: 0 });
      router.route(pageName, pack([a, b]) as never);
      assert.deepStrictEqual(calls, { row: 1, page: 1 });
    });
  });
}

describe("DocumentRouter emit", () => {
  test("the emit callback receives (name, doc)", () => {
    const seen: NamedDocument[] = [];
    const router = new DocumentRouter({
      emit: (name, doc) => seen.push([name, doc] as NamedDocument),
    });
    const { start } = sampleRun();
    router.emit("start", start);
    assert.deepStrictEqual(seen, [["start", start]]);
  });

  test("a non-function, or a function of 0, 1 or 3 parameters, is an EventModelValueError", () => {
    const bad: unknown[] = [
      "not callable",
      () => {},
      (_a: unknown) => {},
      (_a: unknown, _b: unknown, _c: unknown) => {},
    ];
    for (const emit of bad) {
      assert.throws(
        () => new DocumentRouter({ emit: emit as never }),
        (e: Error) => e instanceof EventModelValueError && /emit must/.test(e.message),
      );
    }
    new DocumentRouter({ emit: (_name, _doc) => {} });
  });

  test("callback is route bound to the router", () => {
    let starts = 0;
    class Starts extends DocumentRouter {
      override start() {
        starts++;
      }
    }
    const { callback } = new Starts();
    callback("start", sampleRun().start);
    assert.equal(starts, 1);
  });
});
