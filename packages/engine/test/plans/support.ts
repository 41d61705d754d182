// Shared helpers of the plan tests: an engine recording documents and messages, and readers of
// the positions a scan visited.
import assert from "node:assert/strict";
import type { Msg, RunEngineOptions } from "../../src/index.ts";
import { assertWellFormed, docsNamed, type Recorded, recordingEngine } from "../helpers.ts";

/** A recording engine that also keeps every message it runs. */
export function planEngine(options: RunEngineOptions = {}) {
  const engine = recordingEngine(options);
  const msgs: Msg[] = [];
  engine.RE.msgHook = (m) => msgs.push(m);
  return { ...engine, msgs };
}

/** The values of `key` in the events of `stream` (default primary), in order. */
export function column(docs: readonly Recorded[], key: string, stream = "primary"): unknown[] {
  const descriptors = new Set(
    docsNamed(docs, "descriptor")
      .filter((d) => d["name"] === stream)
      .map((d) => d["uid"]),
  );
  return docsNamed(docs, "event")
    .filter((e) => descriptors.has(e["descriptor"]))
    .map((e) => (e["data"] as Record<string, unknown>)[key]);
}

/** The `set` messages of `motor` (name), as the values set, in order. */
export function setsOf(msgs: readonly Msg[], motor: string): unknown[] {
  return msgs
    .filter((m) => m.command === "set" && (m.obj as { name?: string }).name === motor)
    .map((m) => m.args[0]);
}

/** Numbers equal to 1e-9. */
export function assertClose(actual: readonly unknown[], expected: readonly number[], tol = 1e-9) {
  assert.equal(actual.length, expected.length, `length of ${JSON.stringify(actual)}`);
  actual.forEach((a, i) => {
    assert.ok(
      typeof a === "number" && Math.abs(a - (expected[i] as number)) <= tol,
      `item ${i}: ${String(a)} vs ${expected[i]}`,
    );
  });
}

/** The single start document, after checking the stream is well formed (one stop per start). */
export function onlyStart(docs: readonly Recorded[]): Record<string, unknown> {
  assertWellFormed(docs);
  const starts = docsNamed(docs, "start");
  assert.equal(starts.length, 1, "one run");
  return starts[0] as Record<string, unknown>;
}

/** The start document without the keys every run has (uid, time, scan_id, versions...). */
export function planMetadata(start: Record<string, unknown>): Record<string, unknown> {
  const { uid, time, scan_id, versions, plan_type, ...rest } = start;
  assert.equal(typeof uid, "string");
  assert.equal(typeof time, "number");
  assert.equal(typeof scan_id, "number");
  assert.equal(plan_type, "generator");
  void versions;
  return rest;
}
