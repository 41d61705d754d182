import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composeRun } from "../src/compose/run-bundle.ts";
import { packDatumPage } from "../src/datum-pages.ts";
import type { DocumentCallback, NamedDocument } from "../src/documents.ts";
import {
  EventModelTypeError,
  EventModelValueError,
  UndefinedAssetSpecification,
  UnresolvableForeignKeyError,
} from "../src/errors.ts";
import type { HandlerFactory } from "../src/handler-registry.ts";
import { packEventPage } from "../src/pages.ts";
import { type RunFactory, RunRouter, type SubFactory } from "../src/run-router.ts";
import type { EventPage } from "../src/schemas/event.ts";
import { assertValidStream } from "../src/testing/reference-schemas.ts";
import { IMAGE, sampleRun, snapshot } from "./helpers/sample-run.ts";

function collector(): { seen: NamedDocument[]; callback: DocumentCallback } {
  const seen: NamedDocument[] = [];
  return {
    seen,
    callback: ((name, doc) => seen.push([name, doc] as NamedDocument)) as DocumentCallback,
  };
}

const dummy: HandlerFactory = () => () => IMAGE;

/** The documents a run-level callback should see: events and datums as one-row pages. */
function asPages(docs: NamedDocument[]): NamedDocument[] {
  return docs.map(([name, doc]): NamedDocument => {
    if (name === "event") return ["event_page", packEventPage(doc)];
    if (name === "datum") return ["datum_page", packDatumPage(doc)];
    return [name, doc] as NamedDocument;
  });
}

async function routeAll(router: RunRouter, docs: NamedDocument[]): Promise<void> {
  for (const [name, doc] of docs) await router.route(name, doc);
}

describe("RunRouter", () => {
  test("no factories, and a factory making no callbacks, both accept a full run", async () => {
    const { docs } = sampleRun();
    await routeAll(new RunRouter([]), docs);
    const router = new RunRouter([() => [[], []]]);
    await routeAll(router, docs);
    assert.deepStrictEqual(router.openRuns, []);
  });

  test("a factory's callback sees the run in order, events and datums as one-row pages", async () => {
    const { docs } = sampleRun();
    const { seen, callback } = collector();
    const router = new RunRouter([() => [[callback], []]]);
    for (const [name, doc] of docs) assert.equal(router.route(name, doc), undefined);
    assert.deepStrictEqual(seen, asPages(docs));
    assertValidStream(seen);
  });

  test("a subfactory for baseline gets start, its descriptor and baseline pages only", async () => {
    const run = sampleRun();
    const { seen, callback } = collector();
    const subfactory: SubFactory = (_name, descriptor) =>
      descriptor.name === "baseline" ? [callback] : [];
    await routeAll(new RunRouter([() => [[], [subfactory]]]), run.docs);
    assert.deepStrictEqual(seen.slice(0, 2), [
      ["start", run.start],
      ["descriptor", run.baseline],
    ]);
    const pages = seen.filter(([name]) => name === "event_page").map(([, d]) => d as EventPage);
    assert.deepStrictEqual(
      pages.map((p) => p.descriptor),
      [run.baseline.uid, run.baseline.uid],
    );
    // Run-wide documents (resource, datums, stop) reach subfactory callbacks too.
    assert.deepStrictEqual(
      seen.map(([name]) => name),
      [
        "start",
        "descriptor",
        "event_page",
        "resource",
        "datum_page",
        "datum_page",
        "event_page",
        "stop",
      ],
    );
  });

  test("without a registry pages pass unfilled; with one they are filled copies", async () => {
    for (const options of [
      {},
      { handlerRegistry: { DUMMY: dummy } },
      { handlerRegistry: { DUMMY: dummy }, fillOrFail: true },
    ]) {
      const run = sampleRun();
      const before = snapshot(run.primaryEvents);
      const { seen, callback } = collector();
      await routeAll(new RunRouter([() => [[callback], []]], options), run.docs);
      const images = seen
        .filter(
          ([name, doc]) =>
            name === "event_page" && (doc as EventPage).descriptor === run.primary.uid,
        )
        .map(([, doc]) => (doc as EventPage).data["image"]?.[0]);
      const expected =
        "handlerRegistry" in options ? [IMAGE, IMAGE] : run.datums.map((d) => d.datum_id);
      assert.deepStrictEqual(images, expected);
      assert.deepStrictEqual(run.primaryEvents, before);
      assertValidStream(seen);
    }
  });

  test("an unknown spec passes pages unfilled, or throws with fillOrFail", async () => {
    const run = sampleRun();
    const { seen, callback } = collector();
    await routeAll(new RunRouter([() => [[callback], []]], { handlerRegistry: {} }), run.docs);
    assert.equal(seen.length, run.docs.length);
    const strict = new RunRouter([() => [[], []]], { fillOrFail: true });
    const firstPrimary = run.docs.findIndex(([, d]) => d === run.primaryEvents[0]);
    await routeAll(strict, run.docs.slice(0, firstPrimary));
    await assert.rejects(
      async () => strict.route("event", run.primaryEvents[0]!),
      UndefinedAssetSpecification,
    );
  });

  test("stream_resource and stream_datum reach the run's callbacks once each", async () => {
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
    const top = collector();
    const sub = collector();
    const router = new RunRouter([() => [[top.callback], [() => [sub.callback]]]]);
    const docs: NamedDocument[] = [
      ["start", run.startDoc],
      ["descriptor", det.descriptorDoc],
      ["stream_resource", sr.streamResourceDoc],
      ["stream_datum", sd],
      ["stop", run.composeStop()],
    ];
    await routeAll(router, docs);
    assert.deepStrictEqual(top.seen, docs);
    assert.deepStrictEqual(sub.seen, docs);
    assert.deepStrictEqual(router.openRuns, []);
    assertValidStream(top.seen);
  });

  test("a start uid already open is refused: same object, same content, or same uid", () => {
    const run = sampleRun();
    for (const again of [run.start, structuredClone(run.start), { ...run.start, plan_name: "x" }]) {
      const router = new RunRouter([]);
      router.route("start", run.start);
      assert.throws(
        () => router.route("start", again),
        (e: Error) => e instanceof EventModelValueError && e.message.includes(run.start.uid),
      );
    }
  });

  test("a throwing subfactory callback still leaves the descriptor bound to its run", () => {
    const run = sampleRun();
    const top = collector();
    const failing: DocumentCallback = (...[name]: NamedDocument) => {
      if (name === "descriptor") throw new Error("callback bug");
    };
    const router = new RunRouter([() => [[top.callback], [() => [failing]]]]);
    router.route("start", run.start);
    assert.throws(() => router.route("descriptor", run.baseline), /callback bug/);
    // The failing callback did not prevent the bookkeeping: the event still finds its run.
    router.route("event", run.baselineEvents[0]!);
    assert.deepStrictEqual(
      top.seen.map(([name]) => name),
      ["start", "descriptor", "event_page"],
    );
  });

  test("interleaved runs go to their own callbacks; documents of unknown runs are refused", async () => {
    const a = sampleRun();
    const b = sampleRun();
    const perRun = new Map<string, NamedDocument[]>();
    const factory: RunFactory = (_name, start) => {
      const { seen, callback } = collector();
      perRun.set(start.uid, seen);
      return [[callback], []];
    };
    const router = new RunRouter([factory]);
    const longest = Math.max(a.docs.length, b.docs.length);
    for (let i = 0; i < longest; i++) {
      for (const docs of [a.docs, b.docs]) {
        const pair = docs[i];
        if (pair) await router.route(pair[0], pair[1]);
      }
    }
    assert.deepStrictEqual(perRun.get(a.start.uid), asPages(a.docs));
    assert.deepStrictEqual(perRun.get(b.start.uid), asPages(b.docs));
    assert.throws(() => router.route("descriptor", a.primary), UnresolvableForeignKeyError);
    assert.throws(() => router.route("event", a.primaryEvents[0]!), UnresolvableForeignKeyError);
    assert.throws(() => router.route("stop", a.stop), /not an open run/);
  });

  test("a factory returning the wrong shape is an EventModelTypeError naming it", () => {
    const broken = (() => [[]]) as unknown as RunFactory;
    assert.throws(
      () => new RunRouter([broken]).route("start", sampleRun().start),
      (e: Error) =>
        e instanceof EventModelTypeError && /\[callbacks, subfactories\]/.test(e.message),
    );
  });

  test("a resource without run_start is shared with every open run", async () => {
    const run = sampleRun();
    const { seen, callback } = collector();
    const router = new RunRouter([() => [[callback], []]], { handlerRegistry: { DUMMY: dummy } });
    await router.route("start", run.start);
    await router.route("descriptor", run.primary);
    const { run_start: _rs, ...orphan } = run.resource;
    await router.route("resource", orphan);
    for (const datum of run.datums) await router.route("datum", datum);
    await router.route("event", run.primaryEvents[0]!);
    const page = seen.at(-1)?.[1] as EventPage;
    assert.deepStrictEqual(page.data["image"], [IMAGE]);
    assert.throws(
      () => router.route("datum_page", { ...packDatumPage(run.datums), resource: "unknown" }),
      UnresolvableForeignKeyError,
    );
  });
});

describe("RunRouter with async filling", () => {
  /** A handler whose reads resolve only when the test says so. */
  function gated() {
    const waiting: (() => void)[] = [];
    const factory: HandlerFactory = () => () =>
      new Promise((resolve) => waiting.push(() => resolve(IMAGE)));
    const release = async () => {
      while (waiting.length === 0) await new Promise((r) => setImmediate(r));
      waiting.shift()?.();
    };
    return { factory, release };
  }

  test("documents queue behind a page being filled, so order is kept", async () => {
    const run = sampleRun();
    const { factory, release } = gated();
    const { seen, callback } = collector();
    const router = new RunRouter([() => [[callback], []]], { handlerRegistry: { DUMMY: factory } });
    const pending = run.docs.map(([name, doc]) => router.route(name, doc));
    assert.ok(pending.some((p) => p !== undefined));
    assert.equal(seen.at(-1)?.[0], "datum_page");
    await release();
    await release();
    await Promise.all(pending);
    await router.drain();
    assert.deepStrictEqual(
      seen.map(([name]) => name),
      asPages(run.docs).map(([name]) => name),
    );
    assert.deepStrictEqual(router.openRuns, []);
    assertValidStream(seen);
  });

  test("through `callback`, a fill failure surfaces at the next call and from drain()", async () => {
    const run = sampleRun();
    let fail = true;
    const flaky: HandlerFactory = () => async () => {
      if (fail) throw new TypeError("handler bug");
      return IMAGE;
    };
    const router = new RunRouter([() => [[], []]], { handlerRegistry: { DUMMY: flaky } });
    const firstPrimary = run.docs.findIndex(([, d]) => d === run.primaryEvents[0]);
    for (const pair of run.docs.slice(0, firstPrimary + 1)) router.callback(...pair);
    await assert.rejects(router.drain(), /handler bug/);
    await router.drain();
    router.callback("event", run.primaryEvents[0]!);
    await new Promise((r) => setImmediate(r));
    assert.throws(() => router.callback("event", run.baselineEvents[1]!), /handler bug/);
    fail = false;
    router.callback("event", run.baselineEvents[1]!);
    await router.drain();
  });
});
