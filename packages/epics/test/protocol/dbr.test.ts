import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CaProtocolError, CaValueError } from "../../src/errors.ts";
import { decodeDbr, encodeDbr } from "../../src/protocol/dbr.ts";
import {
  type DbrFamily,
  DbrNative,
  type DbrNativeType,
  dbrCode,
  dbrName,
  dbrSize,
  valueOffset,
} from "../../src/protocol/dbr-types.ts";
import { field, hex, toHex, zeros } from "./fixtures.ts";

const EPOCH = 631152000;

describe("DBR layouts follow db_access.h", () => {
  test("value offsets of every family and type, padding included", () => {
    const offsets = (family: DbrFamily) =>
      [0, 1, 2, 3, 4, 5, 6].map((n) => valueOffset(dbrCode(n as DbrNativeType, family)));
    // string, short, float, enum, char, long, double
    assert.deepEqual(offsets("plain"), [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(offsets("sts"), [4, 4, 4, 4, 5, 4, 8]);
    assert.deepEqual(offsets("time"), [12, 14, 12, 14, 15, 12, 16]);
    assert.deepEqual(offsets("gr"), [4, 24, 40, 422, 19, 36, 64]);
    assert.deepEqual(offsets("ctrl"), [4, 28, 48, 422, 21, 44, 80]);
  });

  test("names and codes", () => {
    assert.equal(dbrCode(DbrNative.double, "time"), 20);
    assert.equal(dbrCode(DbrNative.enum, "ctrl"), 31);
    assert.equal(dbrName(34), "DBR_CTRL_DOUBLE");
    assert.equal(dbrName(0), "DBR_STRING");
    assert.equal(dbrSize(dbrCode(DbrNative.long, "time"), 3), 24);
  });
});

describe("DBR byte fixtures", () => {
  test("DBR_TIME_DOUBLE: alarm, EPICS-epoch timestamp, 4 pad bytes, value", () => {
    const bytes = hex("0000 0000 000003e8 1dcd6500 00000000 3ff8000000000000");
    const decoded = decodeDbr(20, 1, bytes);
    assert.equal(decoded.value[0], 1.5);
    assert.equal(decoded.status, 0);
    assert.equal(decoded.severity, 0);
    assert.equal(decoded.timestamp, EPOCH + 1000.5);
    assert.equal(
      toHex(encodeDbr(20, new Float64Array([1.5]), { timestamp: EPOCH + 1000.5 })),
      toHex(bytes),
    );
  });

  test("DBR_STS_CHAR: one pad byte before the value", () => {
    const bytes = hex("0003 0002 00 07");
    const decoded = decodeDbr(11, 1, bytes);
    assert.deepEqual([decoded.status, decoded.severity, decoded.value[0]], [3, 2, 7]);
    assert.equal(
      toHex(encodeDbr(11, new Uint8Array([7]), { status: 3, severity: 2 })),
      toHex(bytes),
    );
  });

  test("DBR_GR_SHORT: units and six limits in the value's type", () => {
    const bytes = hex(`0000 0000 ${field("mm", 8)} 000a fff6 0008 0005 fffb fff8 0003`);
    const decoded = decodeDbr(22, 1, bytes);
    assert.equal(decoded.units, "mm");
    assert.deepEqual(decoded.limits, {
      display: { high: 10, low: -10 },
      alarm: { high: 8, low: -8 },
      warning: { high: 5, low: -5 },
    });
    assert.equal(decoded.value[0], 3);
    assert.equal(toHex(encodeDbr(22, new Int16Array([3]), decoded)), toHex(bytes));
  });

  test("DBR_CTRL_DOUBLE: precision, units, eight limits", () => {
    const limits = [10, -10, 9, 8, -8, -9, 5, -5];
    const doubles = limits
      .map((v) =>
        Buffer.from(new Float64Array([v]).buffer)
          .reverse()
          .toString("hex"),
      )
      .join("");
    const bytes = hex(`0000 0001 0003 0000 ${field("keV", 8)} ${doubles} 4009 21fb 5444 2d18`);
    const decoded = decodeDbr(34, 1, bytes);
    assert.equal(decoded.precision, 3);
    assert.equal(decoded.severity, 1);
    assert.equal(decoded.units, "keV");
    assert.deepEqual(decoded.limits?.control, { high: 5, low: -5 });
    assert.equal(decoded.value[0], Math.PI);
    assert.equal(toHex(encodeDbr(34, new Float64Array([Math.PI]), decoded)), toHex(bytes));
  });

  test("DBR_CTRL_ENUM: the count of labels, 16 slots of 26 bytes, the index", () => {
    const bytes = hex(`0000 0000 0002 ${field("Off", 26)}${field("On", 26)}${zeros(14 * 26)} 0001`);
    const decoded = decodeDbr(31, 1, bytes);
    assert.deepEqual(decoded.enumStrings, ["Off", "On"]);
    assert.equal(decoded.value[0], 1);
    assert.equal(toHex(encodeDbr(31, new Uint16Array([1]), decoded)), toHex(bytes));
  });

  test("DBR_TIME_LONG array: elements follow each other", () => {
    const bytes = hex("0000 0000 00000001 00000002 00000001 ffffffff 00000003");
    assert.deepEqual([...decodeDbr(19, 3, bytes).value], [1, -1, 3]);
  });

  test("a DBR_STRING cut short (as servers send it) reads as the string", () => {
    assert.deepEqual(decodeDbr(0, 1, hex("68 69 00")).value, ["hi"]);
  });

  test("any other short payload is a CaProtocolError naming the type and sizes", () => {
    assert.throws(
      () => decodeDbr(20, 1, new Uint8Array(8)),
      (e: unknown) => {
        assert.ok(e instanceof CaProtocolError);
        assert.match(e.message, /DBR_TIME_DOUBLE payload of 8 bytes is shorter than the 24 bytes/);
        return true;
      },
    );
  });

  test("a string longer than 39 bytes is refused with CaValueError", () => {
    assert.throws(() => encodeDbr(0, ["x".repeat(40)]), CaValueError);
  });
});

const natives: DbrNativeType[] = [0, 1, 2, 3, 4, 5, 6];
const families: DbrFamily[] = ["plain", "sts", "time", "gr", "ctrl"];

function valuesFor(native: DbrNativeType) {
  switch (native) {
    case DbrNative.string:
      return fc.array(
        fc.string({ maxLength: 20, unit: "grapheme-ascii" }).filter((s) => !s.includes("\0")),
        { minLength: 1, maxLength: 5 },
      );
    case DbrNative.short:
      return fc
        .array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 5 })
        .map((a) => new Int16Array(a));
    case DbrNative.float:
      return fc
        .array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 5 })
        .map((a) => new Float32Array(a));
    case DbrNative.enum:
      return fc
        .array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 5 })
        .map((a) => new Uint16Array(a));
    case DbrNative.char:
      return fc
        .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 5 })
        .map((a) => new Uint8Array(a));
    case DbrNative.long:
      return fc
        .array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 5 })
        .map((a) => new Int32Array(a));
    case DbrNative.double:
      return fc
        .array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 5 })
        .map((a) => new Float64Array(a));
  }
}

describe("every DBR type round-trips", () => {
  for (const native of natives) {
    for (const family of families) {
      const code = dbrCode(native, family);
      test(dbrName(code), () => {
        fc.assert(
          fc.property(valuesFor(native), fc.integer({ min: 0, max: 3 }), (value, severity) => {
            const meta = {
              status: severity,
              severity,
              timestamp: EPOCH + 12345.25,
              units: "mm",
              precision: 2,
            };
            const decoded = decodeDbr(code, value.length, encodeDbr(code, value, meta));
            assert.deepEqual(decoded.value, value);
            if (family !== "plain") assert.equal(decoded.severity, severity);
            if (family === "time") assert.equal(decoded.timestamp, EPOCH + 12345.25);
          }),
          { numRuns: 25 },
        );
      });
    }
  }
});
