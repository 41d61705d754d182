import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidQueryError } from "../../src/index.ts";
import { toEpochSeconds } from "../../src/query/time-parse.ts";

test("databroker's time formats are read in the given zone", () => {
  assert.equal(toEpochSeconds("2024", "UTC"), Date.UTC(2024, 0, 1) / 1000);
  assert.equal(toEpochSeconds("2024-05", "UTC"), Date.UTC(2024, 4, 1) / 1000);
  assert.equal(toEpochSeconds("2024-05-02", "UTC"), Date.UTC(2024, 4, 2) / 1000);
  assert.equal(toEpochSeconds("2024-05-02 13", "UTC"), Date.UTC(2024, 4, 2, 13) / 1000);
  assert.equal(
    toEpochSeconds("2024-05-02 13:30:05.5", "UTC"),
    Date.UTC(2024, 4, 2, 13, 30, 5) / 1000 + 0.5,
  );
  assert.equal(toEpochSeconds("2024-05-02"), new Date(2024, 4, 2).getTime() / 1000);
  assert.equal(toEpochSeconds(1234.5), 1234.5);
});

test("other time strings are refused, naming the accepted formats", () => {
  assert.throws(
    () => toEpochSeconds("yesterday"),
    (e: Error) => e instanceof InvalidQueryError && /YYYY-MM-DD/.test(e.message),
  );
  assert.throws(() => toEpochSeconds("2024-13-01"), InvalidQueryError);
  assert.throws(() => toEpochSeconds(Number.NaN), InvalidQueryError);
});
