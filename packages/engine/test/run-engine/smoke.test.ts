import assert from "node:assert/strict";
import { test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { count } from "../../src/index.ts";
import { assertWellFormed, docsNamed, names, recordingEngine } from "../helpers.ts";

test("count([det], 3) emits start, descriptor, 3 events, stop", async () => {
  const { det } = await createSimBeamline({ seed: 1 });
  const { RE, docs } = recordingEngine();
  const result = await RE.call(count([det], 3));
  assert.deepEqual(names(docs), ["start", "descriptor", "event", "event", "event", "stop"]);
  assertWellFormed(docs);
  const [start] = docsNamed(docs, "start");
  assert.equal(start?.["plan_name"], "count");
  assert.equal(start?.["scan_id"], 1);
  assert.deepEqual(result.runStartUids, [start?.["uid"]]);
  assert.equal(result.planResult, start?.["uid"]);
  assert.equal(result.exitStatus, "success");
});
