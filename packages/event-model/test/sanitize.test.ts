import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventModelTypeError, EventModelValueError } from "../src/errors.ts";
import { packEventPage } from "../src/pages.ts";
import { isNdarrayLike, sanitizeDoc } from "../src/sanitize.ts";
import type { Event } from "../src/schemas/event.ts";
import { assertValidReference } from "../src/testing/reference-schemas.ts";

function imageEvent(seq: number): Event {
  const image = new Float64Array(512 * 512).map((_, i) => (i % 7) * 0.5);
  return {
    uid: `e${seq}`,
    time: 1,
    data: { image: { data: image, shape: [512, 512] }, flat: new Uint16Array([1, 2, 3]) },
    timestamps: { image: 1, flat: 1 },
    seq_num: seq,
    filled: {},
    descriptor: "d",
  };
}

describe("sanitizeDoc", () => {
  test("an event, an event page and bulk events with 512×512 arrays serialize (statement 9)", () => {
    const event = sanitizeDoc(imageEvent(1));
    const image = event.data["image"] as number[][];
    assert.equal(image.length, 512);
    assert.equal(image[1]?.length, 512);
    assert.equal(image[1]?.[3], ((512 + 3) % 7) * 0.5);
    assert.deepStrictEqual(event.data["flat"], [1, 2, 3]);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(event)), event);
    assertValidReference("event", event);

    const page = sanitizeDoc(packEventPage(imageEvent(1), imageEvent(2)));
    assertValidReference("event_page", page);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(page)), page);

    const bulk = sanitizeDoc({ primary: [imageEvent(1)] });
    assertValidReference("bulk_events", bulk);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(bulk)), bulk);
  });

  test("typed array columns of a page become plain arrays that the schema accepts", () => {
    const page = {
      uid: ["a", "b"],
      time: new Float64Array([1, 2]),
      seq_num: new Int32Array([1, 2]),
      data: { x: new Float32Array([0.5, 1.5]) },
      timestamps: { x: [1, 2] },
      filled: {},
      descriptor: "d",
    };
    const clean = sanitizeDoc(page);
    assert.deepStrictEqual(clean.time, [1, 2]);
    assert.deepStrictEqual(clean.data.x, [0.5, 1.5]);
    assertValidReference("event_page", clean);
  });

  test("strided ndarrays, BigInt, Map, Set, Date, boxed values and undefined members", () => {
    // A 2×3 view in Fortran order of [1..6], offset into a larger buffer.
    const nd = { data: [0, 1, 2, 3, 4, 5, 6], shape: [2, 3], stride: [1, 2], offset: 1 };
    assert.ok(isNdarrayLike(nd));
    const out = sanitizeDoc({
      nd,
      scalar: { data: new Float64Array([7]), shape: [] },
      big: 2n ** 40n,
      bigs: new BigInt64Array([1n, -2n]),
      map: new Map<string | number, unknown>([
        ["a", 1],
        [2, new Set(["x"])],
      ]),
      when: new Date(0),
      boxed: new Number(3),
      skip: undefined,
      bytes: new Uint8Array([255]).buffer,
    });
    assert.deepStrictEqual(out, {
      nd: [
        [1, 3, 5],
        [2, 4, 6],
      ],
      scalar: 7,
      big: 2 ** 40,
      bigs: [1, -2],
      map: { a: 1, "2": ["x"] },
      when: "1970-01-01T00:00:00.000Z",
      boxed: 3,
      bytes: [255],
    });
  });

  test("a deep copy: changing the copy leaves the document alone; NaN stays a number", () => {
    const doc = { data: { a: [1, 2], n: Number.NaN } };
    const copy = sanitizeDoc(doc);
    copy.data.a.push(3);
    assert.deepStrictEqual(doc.data.a, [1, 2]);
    assert.ok(Number.isNaN(copy.data.n));
  });

  test("what JSON cannot hold is refused, naming the path", () => {
    assert.throws(
      () => sanitizeDoc({ data: { big: 2n ** 60n } }),
      (e: Error) =>
        e instanceof EventModelValueError && /\/data\/big is the BigInt/.test(e.message),
    );
    assert.throws(() => sanitizeDoc({ f: () => 1 }), EventModelTypeError);
    assert.throws(() => sanitizeDoc({ a: [1, undefined] }), /\/a\/1 is undefined/);
    assert.throws(() => sanitizeDoc({ m: new Map([[{}, 1]]) }), /Map with a object key/);
    const cyclic: Record<string, unknown> = { a: {} };
    (cyclic["a"] as Record<string, unknown>)["back"] = cyclic;
    assert.throws(() => sanitizeDoc(cyclic), /\/a\/back refers back to one of its parents/);
    assert.throws(
      () => sanitizeDoc({ nd: { data: [1, 2], shape: [3] } }),
      /reads element 2 of a 2-element buffer/,
    );
  });

  test("shared (non-cyclic) references are copied, not refused", () => {
    const shared = [1, 2];
    assert.deepStrictEqual(sanitizeDoc({ a: shared, b: shared }), { a: [1, 2], b: [1, 2] });
  });
});
