import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import { assertWireFormat, decodeBody, encodeBody } from "../../src/codec/document-codec.ts";
import { BusConfigError, BusDecodeError } from "../../src/errors.ts";
import {
  PY_JSON,
  PY_START_DOC,
  PY_START_MSGPACK,
  pyNumpyArrayMsgpack,
  pyNumpyScalarMsgpack,
} from "./python-fixtures.ts";

describe("document bodies on the wire", () => {
  it("writes msgpack byte for byte as Python's msgpack.packb does", () => {
    deepStrictEqual(Buffer.from(encodeBody(PY_START_DOC, "msgpack")), PY_START_MSGPACK);
  });

  it("reads what Python's msgpack.packb writes", () => {
    deepStrictEqual(decodeBody(PY_START_MSGPACK, "msgpack"), PY_START_DOC);
  });

  it("reads msgpack-numpy arrays and scalars as numbers", () => {
    deepStrictEqual(decodeBody(pyNumpyArrayMsgpack(), "msgpack"), [
      [1, 2],
      [3, 4],
    ]);
    strictEqual(decodeBody(pyNumpyScalarMsgpack(), "msgpack"), 513);
  });

  it("reads Python's 64-bit integers exactly: safe ones as numbers, larger ones as bigint", () => {
    // msgpack.packb({"x": 2**62, "y": 2**40, "z": -2**62, "w": [2**53 + 1, 7]})
    const bytes = Buffer.from(
      "84a178cf4000000000000000a179cf0000010000000000a17ad3c000000000000000a17792cf002000000000000107",
      "hex",
    );
    deepStrictEqual(decodeBody(bytes, "msgpack"), {
      x: 2n ** 62n,
      y: 2 ** 40,
      z: -(2n ** 62n),
      w: [2n ** 53n + 1n, 7],
    });
  });

  it("writes typed arrays as arrays of numbers, not bytes", () => {
    const bytes = encodeBody({ image: new Uint16Array([1, 300]) }, "msgpack");
    deepStrictEqual(decodeBody(bytes, "msgpack"), { image: [1, 300] });
  });

  it("reads Python's JSON with NaN and Infinity, and writes them back the same way", () => {
    const doc = decodeBody(PY_JSON, "json");
    deepStrictEqual(doc, {
      x: Number.NaN,
      y: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      s: "NaN",
    });
    strictEqual(
      Buffer.from(encodeBody(doc, "json")).toString(),
      '{"x":NaN,"y":[Infinity,-Infinity],"s":"NaN"}',
    );
  });

  it("keeps NaN and Infinity through msgpack", () => {
    const doc = { a: Number.NaN, b: Number.NEGATIVE_INFINITY, c: 2 ** 53 - 1, d: -0.5 };
    deepStrictEqual(decodeBody(encodeBody(doc, "msgpack"), "msgpack"), doc);
  });

  it("names the format and the bytes when they cannot be decoded", () => {
    throws(
      () => decodeBody(Buffer.from([0xc1]), "msgpack"),
      (error: unknown) => {
        return (
          error instanceof BusDecodeError &&
          /as msgpack/.test(error.message) &&
          /c1/.test(error.message)
        );
      },
    );
    throws(() => decodeBody(Buffer.from("{oops"), "json"), BusDecodeError);
  });

  it("refuses an unknown format", () => {
    throws(
      () => assertWireFormat("pickle"),
      (error: unknown) => {
        return error instanceof BusConfigError && /"pickle"/.test(error.message);
      },
    );
  });
});
