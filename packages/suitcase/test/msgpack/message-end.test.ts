import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { messageEnd } from "../../src/msgpack/message-end.ts";

describe("msgpack message boundaries", () => {
  it("finds the end of any encoded value and reports every proper prefix as incomplete (property)", () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.uint8Array({ maxLength: 300 }),
        fc.double(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (json, bytes, float, big) => {
          const encoded = encode([json, bytes, float, big], { useBigInt64: true });
          assert.equal(messageEnd(encoded, 0), encoded.length);
          for (const cut of [0, 1, encoded.length >> 1, encoded.length - 1]) {
            assert.equal(
              messageEnd(encoded.subarray(0, cut), 0),
              undefined,
              `prefix of ${cut} bytes`,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("walks a concatenation message by message", () => {
    const a = encode(["start", { uid: "x", n: [1, 2, 3] }]);
    const b = encode(["stop", { uid: "y" }]);
    const both = new Uint8Array([...a, ...b]);
    assert.equal(messageEnd(both, 0), a.length);
    assert.equal(messageEnd(both, a.length), both.length);
  });

  it("rejects the one byte msgpack never uses", () => {
    assert.throws(() => messageEnd(new Uint8Array([0xc1]), 0), /0xc1/);
  });
});
