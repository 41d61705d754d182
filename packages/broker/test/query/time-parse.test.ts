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

test("impossible dates and times are refused, naming the value, not rolled over", () => {
  for (const bad of [
    "2024-00-10",
    "2024-02-30",
    "2023-02-29",
    "2024-04-31",
    "2024-05-00",
    "2024-05-02 24",
    "2024-05-02 13:60",
    "2024-05-02 13:30:60",
    "0000",
  ]) {
    assert.throws(
      () => toEpochSeconds(bad, "UTC"),
      (e: Error) => e instanceof InvalidQueryError && e.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
  assert.equal(toEpochSeconds("2024-02-29", "UTC"), Date.UTC(2024, 1, 29) / 1000);
  assert.equal(toEpochSeconds("2000-02-29", "UTC"), Date.UTC(2000, 1, 29) / 1000);
  assert.equal(
    toEpochSeconds("2024-12-31 23:59:59", "UTC"),
    Date.UTC(2024, 11, 31, 23, 59, 59) / 1000,
  );
});
