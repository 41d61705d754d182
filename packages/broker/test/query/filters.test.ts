import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidQueryError, keyPath, timeRange, toFilters, toSorts } from "../../src/index.ts";

test("keys without start. or stop. mean the start document", () => {
  assert.deepEqual(keyPath("plan_name"), { doc: "start", path: ["plan_name"] });
  assert.deepEqual(keyPath("start.sample.name"), { doc: "start", path: ["sample", "name"] });
  assert.deepEqual(keyPath("stop.exit_status"), { doc: "stop", path: ["exit_status"] });
  assert.deepEqual(keyPath("stop"), { doc: "start", path: ["stop"] });
  assert.throws(() => keyPath("a..b"), InvalidQueryError);
});

test("a time range becomes half-open comparisons on start.time; since after until is refused", () => {
  assert.deepEqual(
    toFilters([timeRange({ since: 10, until: 20 })]).map(
      (f) => f.op === "comparison" && [f.operator, f.value],
    ),
    [
      ["ge", 10],
      ["lt", 20],
    ],
  );
  assert.throws(() => toFilters([timeRange({ since: "2021", until: "2020" })]), InvalidQueryError);
});

test("uid prefixes under 5 characters, empty full text and regex are refused", () => {
  assert.throws(() => toFilters([{ type: "partial_uid", partial_uids: ["abcd"] }]), /at least 5/);
  assert.throws(() => toFilters([{ type: "fulltext", text: "  ,, " }]), InvalidQueryError);
  assert.throws(() => toFilters([{ type: "regex", key: "a", pattern: "b" }]), /not supported/);
});

test("a sort key given twice is refused", () => {
  assert.throws(
    () =>
      toSorts([
        { key: "a", direction: 1 },
        { key: "start.a", direction: -1 },
      ]),
    /twice/,
  );
});
