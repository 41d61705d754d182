import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { composeRun } from "../src/compose/run-bundle.ts";
import { EventModelValueError, UnfilledData } from "../src/errors.ts";
import {
  bulkEventsToEventPages,
  mergeEventPages,
  packEventPage,
  rechunkEventPages,
  unpackEventPage,
  verifyFilled,
} from "../src/pages.ts";
import type { Event, EventPage } from "../src/schemas/event.ts";
import { assertValidReference } from "../src/testing/reference-schemas.ts";
import { withoutFilled } from "./helpers/sample-run.ts";

/** Every key path of a value, in order: deepStrictEqual ignores key order, this does not. */
function keyOrder(value: unknown, path = ""): string[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.keys(value).flatMap((k) => [
    `${path}/${k}`,
    ...keyOrder((value as Record<string, unknown>)[k], `${path}/${k}`),
  ]);
}

function assertSameExactly(actual: unknown, expected: unknown): void {
  assert.deepStrictEqual(actual, expected);
  assert.deepStrictEqual(keyOrder(actual), keyOrder(expected));
}

function composedEvents(n: number, filled = true): Event[] {
  const run = composeRun();
  const d = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor: { dtype: "number", shape: [], source: "m" },
      det: { dtype: "number", shape: [], source: "d" },
      img: { dtype: "array", shape: [2], source: "i", external: "FILESTORE:" },
    },
  });
  return Array.from({ length: n }, (_, i) =>
    d.composeEvent({
      data: { motor: i, det: i * 1.5, img: `res/${i}` },
      timestamps: { motor: 100 + i, det: 100 + i, img: 100 + i },
      ...(filled ? { filled: { img: false } } : {}),
    }),
  );
}

function pageOf(rows: number, descriptor = "d1", offset = 0, filled = true): EventPage {
  const range = Array.from({ length: rows }, (_, i) => i + offset);
  return {
    uid: range.map((i) => `u${i}`),
    time: range.map((i) => 1000 + i),
    data: { a: range.map((i) => i * 2), b: range.map((i) => `s${i}`) },
    timestamps: { a: range.map((i) => 1000 + i), b: range.map((i) => 1000 + i) },
    seq_num: range.map((i) => i + 1),
    filled: filled ? { b: range.map((i) => `datum/${i}`) } : {},
    descriptor,
  };
}

describe("packEventPage / unpackEventPage", () => {
  for (const n of [1, 2, 3]) {
    test(`unpack(pack(${n} composed events)) equals the events exactly`, () => {
      const events = composedEvents(n);
      const page = packEventPage(...events);
      assertValidReference("event_page", page);
      assertSameExactly(unpackEventPage(page), events);
      for (const event of unpackEventPage(page)) assertValidReference("event", event);
    });
  }

  test("events without filled round-trip once filled is removed (upstream statement 6)", () => {
    const events = composedEvents(3, false).map((e) => withoutFilled(e) as Event);
    const page = packEventPage(events);
    assert.deepStrictEqual(page.filled, {});
    assertValidReference("event_page", page);
    assertSameExactly(
      unpackEventPage(page).map((e) => withoutFilled(e)),
      events,
    );
  });

  test("an event without any filled counts as filled {}", () => {
    const event: Event = {
      uid: "e",
      time: 1,
      data: { x: 1 },
      timestamps: { x: 1 },
      seq_num: 1,
      descriptor: "d",
    };
    const page = packEventPage(event);
    assert.deepStrictEqual(page.filled, {});
    assert.deepStrictEqual(unpackEventPage(page)[0], { ...event, filled: {} });
  });

  test("a page with empty data unpacks to its rows and packs back equal (upstream statement 21)", () => {
    const page: EventPage = {
      time: [1, 2, 3],
      seq_num: [1, 2, 3],
      uid: ["a", "b", "c"],
      descriptor: "d",
      data: {},
      timestamps: {},
      filled: {},
    };
    const events = unpackEventPage(page);
    assert.equal(events.length, 3);
    assert.deepStrictEqual(packEventPage(events), {
      uid: ["a", "b", "c"],
      time: [1, 2, 3],
      data: {},
      timestamps: {},
      seq_num: [1, 2, 3],
      filled: {},
      descriptor: "d",
    });
  });

  test("the array form equals the variadic form and handles 150,000 rows", () => {
    const events = composedEvents(3);
    assert.deepStrictEqual(packEventPage(events), packEventPage(...events));
    const many = unpackEventPage(pageOf(150_000));
    const page = packEventPage(many);
    assert.equal(page.uid.length, 150_000);
    assert.equal(page.data["a"]?.[149_999], 299_998);
  });

  test("no events is an EventModelValueError (upstream statement 19)", () => {
    assert.throws(() => packEventPage(), EventModelValueError);
    assert.throws(() => packEventPage([]), /at least one event/);
  });

  test("mixed descriptors are rejected, naming both", () => {
    const [a, b] = composedEvents(2) as [Event, Event];
    assert.throws(
      () => packEventPage(a, { ...b, descriptor: "other" }),
      (e: Error) =>
        e instanceof EventModelValueError &&
        /"other"/.test(e.message) &&
        e.message.includes(a.descriptor),
    );
  });

  test("differing data, timestamps or filled keys are rejected, so columns keep one length", () => {
    const [a, b] = composedEvents(2) as [Event, Event];
    assert.throws(
      () => packEventPage(a, { ...b, data: { motor: 1, det: 2 } }),
      /data keys of event 1 .*missing \["img"\]/,
    );
    assert.throws(
      () => packEventPage(a, { ...b, timestamps: { ...b.timestamps, extra: 1 } }),
      /timestamps keys .*unexpected \["extra"\]/,
    );
    assert.throws(() => packEventPage(a, { ...b, filled: {} }), /filled keys/);
    assert.throws(() => packEventPage(a, { ...b, data: null as never }), /expected an object/);
  });

  test("unpack rejects columns whose length differs from uid", () => {
    const page = pageOf(3);
    page.data["a"] = [1, 2];
    assert.throws(() => unpackEventPage(page), /data\["a"\] has 2 rows but uid\/datum_id has 3/);
    assert.throws(() => unpackEventPage({ ...pageOf(2), seq_num: [1] }), /"seq_num" has 1 rows/);
  });

  test("a data key named __proto__ stays an ordinary key", () => {
    const event = JSON.parse(
      '{"uid":"u","time":1,"data":{"__proto__":5,"x":1},"timestamps":{"__proto__":1,"x":1},"seq_num":1,"filled":{},"descriptor":"d"}',
    ) as Event;
    const page = packEventPage(event);
    assert.deepStrictEqual(Object.keys(page.data), ["__proto__", "x"]);
    assert.deepStrictEqual(unpackEventPage(page), [event]);
  });
});

describe("mergeEventPages / rechunkEventPages", () => {
  for (const filled of [true, false]) {
    test(`31 pages of 13 rows rechunk to 57×7 + 4 and back (${filled ? "with" : "without"} filled columns)`, () => {
      const pages = Array.from({ length: 31 }, (_, p) => pageOf(13, "d1", p * 13, filled));
      const sevens = [...rechunkEventPages(pages, 7)];
      assert.deepStrictEqual(
        sevens.map((p) => p.uid.length),
        [...new Array(57).fill(7), 4],
      );
      for (const page of sevens) assertValidReference("event_page", page);
      assertSameExactly([...rechunkEventPages(sevens, 13)], pages);
    });
  }

  test("merge concatenates in order and returns a single page as is", () => {
    const [a, b] = [pageOf(2, "d1", 0), pageOf(3, "d1", 2)];
    const merged = mergeEventPages([a, b]);
    assertSameExactly(merged, pageOf(5, "d1", 0));
    assert.equal(mergeEventPages([a]), a);
    assert.throws(() => mergeEventPages([]), EventModelValueError);
  });

  test("merge rejects mixed descriptors and differing keys", () => {
    assert.throws(() => mergeEventPages([pageOf(1, "d1"), pageOf(1, "d2")]), /descriptor "d2"/);
    const other = pageOf(1, "d1");
    other.data = { a: [1] };
    other.timestamps = { a: [1] };
    assert.throws(
      () => mergeEventPages([pageOf(1), other]),
      /data keys of page 1 .*missing \["b"\]/,
    );
  });

  test("rechunk needs a positive integer size", () => {
    assert.throws(() => [...rechunkEventPages([pageOf(1)], 0)], /positive integer, got 0/);
    assert.throws(() => [...rechunkEventPages([pageOf(1)], 1.5)], /positive integer/);
  });

  test("property: merge(rechunk(pages, k)) equals merge(pages) for any k", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        (sizes, k) => {
          let offset = 0;
          const pages = sizes.map((n) => {
            const page = pageOf(n, "d1", offset);
            offset += n;
            return page;
          });
          const chunks = [...rechunkEventPages(pages, k)];
          assert.ok(chunks.slice(0, -1).every((p) => p.uid.length === k));
          if (offset === 0) return assert.equal(chunks.length, 0);
          assertSameExactly(mergeEventPages(chunks), mergeEventPages(pages));
        },
      ),
    );
  });
});

describe("bulkEventsToEventPages / verifyFilled", () => {
  test("bulk events become one page per descriptor, first seen first (upstream statement 7)", () => {
    const [e1, e2] = composedEvents(2) as [Event, Event];
    const [e3] = composedEvents(1) as [Event];
    const pages = bulkEventsToEventPages({ primary: [e1, e2], baseline: [e3] });
    assert.deepStrictEqual(pages, [packEventPage(e1, e2), packEventPage(e3)]);
  });

  test("verifyFilled names the unfilled key and row of a page or event", () => {
    const page = packEventPage(composedEvents(2));
    assert.throws(
      () => verifyFilled(page),
      (e: Error) =>
        e instanceof UnfilledData && /"img" is not filled in row 0 \(seq_num 1\)/.test(e.message),
    );
    page.filled = { img: ["res/0", "res/1"] };
    verifyFilled(page);
    const [event] = composedEvents(1) as [Event];
    assert.throws(
      () => verifyFilled(event),
      /data key "img" is not filled; it still holds "res\/0"/,
    );
    verifyFilled({ ...event, filled: { img: "res/0" } });
  });
});

describe("property: pack/unpack preserve order and values exactly", () => {
  const key = fc.string({ minLength: 1, maxLength: 6 });
  const value = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.double(), { maxLength: 4 }),
    fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 3 }),
  );
  const events = fc
    .record({
      keys: fc.uniqueArray(key, { minLength: 0, maxLength: 6 }),
      filledKeys: fc.integer({ min: 0, max: 6 }),
      n: fc.integer({ min: 1, max: 12 }),
      seed: fc.array(value, { minLength: 72, maxLength: 72 }),
      descriptor: fc.string(),
    })
    .map(({ keys, filledKeys, n, seed, descriptor }) =>
      Array.from({ length: n }, (_, i): Event => {
        const pick = (j: number) => seed[(i * 6 + j) % seed.length];
        const filled: Record<string, boolean | string> = {};
        for (const k of keys.slice(0, filledKeys)) filled[k] = i % 2 === 0 ? false : `datum-${i}`;
        return {
          uid: `uid-${i}`,
          time: 1e9 + i * 0.25,
          data: Object.fromEntries(keys.map((k, j) => [k, pick(j)])),
          timestamps: Object.fromEntries(keys.map((k, j) => [k, 1e9 + i + j])),
          seq_num: i + 1,
          filled,
          descriptor,
        };
      }),
    );

  test("unpack(pack(events)) === events", () => {
    fc.assert(
      fc.property(events, (evs) => {
        const page = packEventPage(evs);
        assertSameExactly(unpackEventPage(page), evs);
        assertSameExactly(packEventPage(unpackEventPage(page)), page);
      }),
    );
  });
});
