import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { encode } from "@msgpack/msgpack";
import { readMsgpack } from "../../src/msgpack/read-msgpack.ts";
import { tempDir } from "../fixtures.ts";

async function readAll(path: string): Promise<[string, Record<string, unknown>][]> {
  const out: [string, Record<string, unknown>][] = [];
  for await (const pair of readMsgpack(path)) out.push(pair);
  return out;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

/**
 * A numpy value as Python's msgpack_numpy writes it: a map with binary keys, encoded by hand
 * (the JS encoder writes string keys only). `shape` null: a numpy scalar.
 */
function numpy(type: string, shape: number[] | null, data: ArrayBufferView): Uint8Array {
  const entries: [string, unknown][] = [
    ["nd", shape !== null],
    ["type", type],
    ["kind", new Uint8Array()],
  ];
  if (shape !== null) entries.push(["shape", shape]);
  entries.push(["data", new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]);
  const parts = [Uint8Array.of(0x80 | entries.length)];
  for (const [key, value] of entries) {
    const name = bytesOf(key);
    parts.push(Uint8Array.of(0xc4, name.length), name, encode(value));
  }
  return Buffer.concat(parts);
}

/** `["event", {uid, data: {key: <raw msgpack>...}}]` with each data value spliced in as bytes. */
function eventWithRawData(uid: string, data: Record<string, Uint8Array>): Uint8Array {
  const keys = Object.keys(data);
  const parts: Uint8Array[] = [
    Uint8Array.of(0x92),
    encode("event"),
    Uint8Array.of(0x82),
    encode("uid"),
    encode(uid),
    encode("data"),
    Uint8Array.of(0xde, keys.length >> 8, keys.length & 0xff),
  ];
  for (const key of keys) parts.push(encode(key), data[key] as Uint8Array);
  return Buffer.concat(parts);
}

describe("reading msgpack files", () => {
  it("reads messages of many megabytes spread over many chunks, and small ones between", async (t) => {
    const image = Array.from({ length: 300 }, (_, r) =>
      Array.from({ length: 300 }, (_, c) => r * 1000 + c + 0.5),
    );
    const blob = Uint8Array.from({ length: 3_000_000 }, (_, i) => i % 251);
    const docs: [string, Record<string, unknown>][] = [
      ["start", { uid: "s", time: 1 }],
      ["event", { uid: "e1", data: { img: image }, n: 1 }],
      ["event", { uid: "e2", data: { raw: blob } }],
      ...Array.from({ length: 3000 }, (_, i): [string, Record<string, unknown>] => [
        "event",
        { uid: `small-${i}`, seq_num: i, pad: "x".repeat(i % 700) },
      ]),
      ["event", { uid: "e3", data: { img: image }, n: 3 }],
      ["stop", { uid: "z", time: 2 }],
    ];
    const path = join(tempDir(t), "big.msgpack");
    writeFileSync(path, Buffer.concat(docs.map((d) => encode(d))));
    const back = await readAll(path);
    assert.equal(back.length, docs.length);
    assert.deepEqual(back, docs, "binary values stay intact while later chunks arrive");
  });

  it("turns Python msgpack_numpy arrays and scalars into (nested) arrays of numbers", async (t) => {
    const event = eventWithRawData("e", {
      f8: numpy("<f8", [2, 2], new Float64Array([1.5, Number.NaN, -2, 1e300])),
      f4: numpy("<f4", [3], new Float32Array([0.5, 2, -8])),
      i8: numpy("<i8", [2], new BigInt64Array([-3n, 2n ** 60n])),
      i4: numpy("<i4", [2], new Int32Array([-70000, 70000])),
      i2: numpy("<i2", [2], new Int16Array([-5, 5])),
      u2: numpy("<u2", [1, 3], new Uint16Array([1, 2, 65535])),
      u1: numpy("|u1", [2], new Uint8Array([0, 255])),
      u4: numpy("<u4", [1], new Uint32Array([4_000_000_000])),
      bool: numpy("|b1", [3], new Uint8Array([1, 0, 1])),
      big: numpy(">f8", [1], new Uint8Array([0x3f, 0xf8, 0, 0, 0, 0, 0, 0])),
      scalar: numpy("<f8", null, new Float64Array([6.25])),
      empty: numpy("<f8", [0, 3], new Float64Array([])),
    });
    const path = join(tempDir(t), "python.msgpack");
    writeFileSync(path, Buffer.concat([event, encode(["stop", { uid: "z" }])]));
    const [first, second] = await readAll(path);
    assert.deepEqual(first, [
      "event",
      {
        uid: "e",
        data: {
          f8: [
            [1.5, Number.NaN],
            [-2, 1e300],
          ],
          f4: [0.5, 2, -8],
          i8: [-3, 2n ** 60n],
          i4: [-70000, 70000],
          i2: [-5, 5],
          u2: [[1, 2, 65535]],
          u1: [0, 255],
          u4: [4_000_000_000],
          bool: [true, false, true],
          big: [1.5],
          scalar: 6.25,
          empty: [],
        },
      },
    ]);
    assert.deepEqual(second, ["stop", { uid: "z" }]);
  });

  it("reads 64-bit integers exactly: those a number holds as numbers, larger ones as bigint", async (t) => {
    const path = join(tempDir(t), "ints.msgpack");
    // Python writes ints past 2^32 as 64-bit msgpack integers, as useBigInt64 does for bigints.
    const doc = { uid: "e", data: { big: 2n ** 62n, small: 5n, neg: -(2n ** 40n) } };
    writeFileSync(path, encode(["event", doc], { useBigInt64: true }));
    const [first] = await readAll(path);
    assert.deepEqual(first, [
      "event",
      { uid: "e", data: { big: 2n ** 62n, small: 5, neg: -(2 ** 40) } },
    ]);
  });
});
