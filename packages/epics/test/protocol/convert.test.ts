import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CaValueError } from "../../src/errors.ts";
import { convertArray, toCaArray } from "../../src/protocol/convert.ts";
import { DbrNative } from "../../src/protocol/dbr-types.ts";

const labels = { enumStrings: ["Off", "On"], what: 'PV "X:mode"' };

describe("converting values like an IOC", () => {
  test("enum labels become indices and back", () => {
    assert.deepEqual([...toCaArray("On", DbrNative.enum, labels)], [1]);
    assert.deepEqual(convertArray(new Uint16Array([0]), DbrNative.enum, DbrNative.string, labels), [
      "Off",
    ]);
  });

  test("an unknown label names the PV and the choices", () => {
    assert.throws(
      () => toCaArray("Maybe", DbrNative.enum, labels),
      (e: unknown) => {
        assert.ok(e instanceof CaValueError);
        assert.match(e.message, /"Maybe".*PV "X:mode".*\["Off","On"\]/);
        return true;
      },
    );
  });

  test("an integer out of the native range is refused, not wrapped", () => {
    assert.throws(
      () => toCaArray(70000, DbrNative.short),
      /70000 is out of range: short holds -32768\.\.32767/,
    );
  });

  test("doubles become strings with the PV's precision", () => {
    assert.deepEqual(
      convertArray(new Float64Array([1.23456]), DbrNative.double, DbrNative.string, {
        precision: 2,
      }),
      ["1.23"],
    );
  });

  test("numbers requested as a narrower type are clamped", () => {
    assert.deepEqual(
      [...convertArray(new Float64Array([1e9, -1e9, 3.7]), DbrNative.double, DbrNative.short)],
      [32767, -32768, 3],
    );
  });

  test("booleans and typed arrays are accepted", () => {
    assert.deepEqual([...toCaArray(true, DbrNative.long)], [1]);
    assert.deepEqual([...toCaArray(new Float32Array([1.5, 2]), DbrNative.double)], [1.5, 2]);
  });
});
