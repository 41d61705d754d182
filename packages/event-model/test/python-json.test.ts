import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { EventModelValueError } from "../src/errors.ts";
import { encodeJson, parseJson } from "../src/python-json.ts";

/** Exactly what Python 3's json.dumps writes for such a document (captured once). */
const FROM_PYTHON =
  '["event", {"uid": "e1", "time": 1.5, "data": {"det": NaN, "hi": Infinity, "lo": -Infinity, "img": [[1.0, 2.5], [NaN, 0.0]], "s": "NaN in a string, Infinity too", "big": 12345678901234, "neg": -0.0, "e": 1e-300, "u": "\\u00e9\\u2603"}, "timestamps": {"det": 1.0}, "seq_num": 1, "filled": {}, "descriptor": "d1"}]';

describe("parseJson", () => {
  test("reads Python's NaN, Infinity and -Infinity tokens, but not inside strings", () => {
    const [name, doc] = parseJson(FROM_PYTHON) as [string, Record<string, Record<string, unknown>>];
    assert.equal(name, "event");
    const data = doc["data"]!;
    assert.ok(Number.isNaN(data["det"]));
    assert.equal(data["hi"], Number.POSITIVE_INFINITY);
    assert.equal(data["lo"], Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN((data["img"] as number[][])[1]?.[0]));
    assert.equal(data["s"], "NaN in a string, Infinity too");
    assert.equal(data["big"], 12345678901234);
    assert.ok(Object.is(data["neg"], -0));
    assert.equal(data["e"], 1e-300);
    assert.equal(data["u"], "é☃");
    assert.deepStrictEqual(Object.keys(data), [
      "det",
      "hi",
      "lo",
      "img",
      "s",
      "big",
      "neg",
      "e",
      "u",
    ]);
  });

  test("standard JSON parses exactly as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        assert.deepStrictEqual(parseJson(text), JSON.parse(text));
      }),
    );
  });

  test("a __proto__ key stays an ordinary key on the tolerant path", () => {
    const value = parseJson('{"__proto__": NaN, "a": 1}') as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(value), ["__proto__", "a"]);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  test("errors name the column and what was expected", () => {
    const cases: [string, RegExp][] = [
      ['{"a": nan}', /column 7: expected null, found "nan}"/],
      ['{"a": 1,}', /column 9: expected a string key/],
      ["[1 2]", /column 4: expected "," or "\]" in the array/],
      ['{"a" 1}', /column 6: expected ":" after the key/],
      ['"abc', /column 5: expected the closing quote of the string, found the end/],
      ["[NaN] x", /column 7: expected the end of the text/],
      ['["a\u0001"]', /expected a valid string/],
      ["-Inf", /expected -Infinity/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseJson(text),
        (e: Error) => e instanceof EventModelValueError && message.test(e.message),
        text,
      );
    }
  });
});

describe("encodeJson", () => {
  test("writes non-finite numbers as Python's tokens, and reads back exactly", () => {
    const value = {
      a: [1, Number.NaN, Number.POSITIVE_INFINITY],
      b: { c: Number.NEGATIVE_INFINITY },
    };
    const text = encodeJson(value);
    assert.equal(text, '{"a":[1,NaN,Infinity],"b":{"c":-Infinity}}');
    assert.deepStrictEqual(parseJson(text), value);
  });

  test("plain JSON is JSON.stringify's output; typed arrays become arrays", () => {
    const value = { x: [1, 2.5, "s", null, true], y: { z: [] } };
    assert.equal(encodeJson(value), JSON.stringify(value));
    assert.equal(encodeJson({ t: new Float32Array([0.5, Number.NaN]) }), '{"t":[0.5,NaN]}');
    assert.equal(encodeJson({ skip: undefined, k: 1 }), '{"k":1}');
    assert.equal(encodeJson([0, -0, new Float64Array([-0])]), "[0,-0.0,[-0.0]]");
    assert.throws(() => encodeJson({ big: 2n ** 64n }), /BigInt/);
  });

  test("property: parseJson(encodeJson(v)) equals v, non-finite numbers included", () => {
    const number = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        number,
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("node")),
        fc.dictionary(fc.string(), tie("node")),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        // Everything comes back exactly, -0 (written -0.0, as Python does) and key order too.
        const back = parseJson(encodeJson(v));
        assert.deepStrictEqual(back, normalize(v));
        assert.equal(encodeJson(back), encodeJson(v));
      }),
    );
  });
});

/** The value as plain objects (fast-check makes some with a null prototype), keys kept as own. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: normalize(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
