import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { invertSymmetric } from "../src/linear-algebra.ts";

test("the inverse of a symmetric positive definite matrix times the matrix is the identity", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.array(
          fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
          {
            minLength: n + 2,
            maxLength: n + 6,
          },
        ),
      ),
      (rows) => {
        const n = rows[0]?.length ?? 0;
        // AᵀA + I is symmetric positive definite.
        const a = Array.from({ length: n }, (_, i) =>
          Array.from({ length: n }, (_, j) =>
            rows.reduce((s, r) => s + (r[i] ?? 0) * (r[j] ?? 0), i === j ? 1 : 0),
          ),
        );
        const inv = invertSymmetric(a);
        assert.ok(inv !== null);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const product = a[i]?.reduce((s, v, k) => s + v * (inv[k]?.[j] ?? 0), 0) ?? 0;
            assert.ok(Math.abs(product - (i === j ? 1 : 0)) < 1e-8, `entry ${i},${j} = ${product}`);
          }
        }
      },
    ),
  );
});

test("a singular matrix has no inverse, even with very different parameter scales", () => {
  assert.equal(
    invertSymmetric([
      [1, 2],
      [2, 4],
    ]),
    null,
  );
  assert.equal(invertSymmetric([[0]]), null);
  const scaled = invertSymmetric([
    [1e12, 0],
    [0, 1e-12],
  ]);
  assert.ok(scaled !== null);
  assert.ok(Math.abs((scaled[1]?.[1] ?? 0) - 1e12) < 1);
});
