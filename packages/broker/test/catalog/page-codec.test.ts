import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventPage } from "@cerulean/event-model";
import fc from "fast-check";
import { encodePage, PageReader } from "../../src/catalog/page-codec.ts";

const page: EventPage = {
  uid: ["a", "b", "c"],
  time: [1.5, 2.5, 3.5],
  seq_num: [1, 2, 3],
  data: {
    x: [1, -0, Number.NaN],
    s: ["u", "v", "w"],
    img: [[[1]], [[2]], [[Number.POSITIVE_INFINITY]]],
    mixed: [1, null, 2],
  },
  timestamps: { x: [1, 2, 3], s: [1, 2, 3], img: [1, 2, 3], mixed: [1, 2, 3] },
  filled: { img: [false, true, "d/1"] },
  descriptor: "d",
};

test("a page round-trips exactly, NaN, -0 and Infinity included", () => {
  const { page: back, hasFilled } = new PageReader(encodePage(page)).toEventPage("d");
  assert.deepStrictEqual(back, page);
  assert.equal(hasFilled, true);
  assert.equal(new PageReader(encodePage(page, false)).toEventPage("d").hasFilled, false);
});

test("number-only columns are stored as float64 and copied straight out", () => {
  const reader = new PageReader(encodePage(page));
  assert.equal(reader.isNumeric("data", "x"), true);
  assert.equal(reader.isNumeric("data", "mixed"), false);
  const out = new Float64Array(5);
  reader.copyNumeric("data", "x", out, 2, 0, 2);
  assert.deepEqual([...out], [0, 0, 1, -0, 0]);
  assert.deepEqual(reader.keys("data"), ["x", "s", "img", "mixed"]);
});

test("random number columns round-trip", () => {
  fc.assert(
    fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 50 }), (xs) => {
      const p: EventPage = {
        uid: xs.map((_, i) => `u${i}`),
        time: xs.map(() => 0),
        seq_num: xs.map((_, i) => i + 1),
        data: { x: xs },
        timestamps: { x: xs },
        filled: {},
        descriptor: "d",
      };
      assert.deepStrictEqual(new PageReader(encodePage(p)).toEventPage("d").page, p);
    }),
  );
});

test("event uids that are UUIDs are stored as 16 bytes and come back the same; others as text", () => {
  const uuids = [crypto.randomUUID(), crypto.randomUUID()];
  const make = (uid: string[]): EventPage => ({
    uid,
    time: [1, 2],
    seq_num: [1, 2],
    data: {},
    timestamps: {},
    filled: {},
    descriptor: "d",
  });
  const compact = encodePage(make(uuids));
  assert.deepEqual(new PageReader(compact).column("uid"), uuids);
  const odd = [uuids[0]!.toUpperCase(), "run-1"];
  assert.deepEqual(new PageReader(encodePage(make(odd))).column("uid"), odd);
  assert.ok(
    compact.byteLength < encodePage(make(odd.map((u) => `${u}`.padEnd(36, "x")))).byteLength,
  );
});
