// count: the edge cases Bluesky accepts (num 0) and the arguments it records as given.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { count, PlanArgumentError } from "../../src/index.ts";
import { repr } from "../../src/utils/repr.ts";
import { docsNamed } from "../helpers.ts";
import { onlyStart, planEngine } from "./support.ts";

describe("count edge cases", () => {
  test("num 0 opens and closes an empty run (num_points 0, num_intervals -1)", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    const { RE, docs } = planEngine();
    const result = await RE.call(count([det], 0));
    const start = onlyStart(docs);
    assert.equal(result.planResult, start["uid"]);
    assert.equal(start["num_points"], 0);
    assert.equal(start["num_intervals"], -1);
    assert.deepEqual(start["plan_args"], { detectors: [repr(det)], num: 0, delay: 0 });
    assert.equal(docsNamed(docs, "event").length, 0);
    const stop = docsNamed(docs, "stop")[0];
    assert.equal(stop?.["exit_status"], "success");
    assert.deepEqual(stop?.["num_events"], {});
  });

  test("a negative or fractional num is still refused", () => {
    assert.throws(
      () => count([], -1),
      (e: Error) => e instanceof PlanArgumentError && /got -1/.test(e.message),
    );
    assert.throws(() => count([], 1.5), /num must be a whole number >= 0/);
  });

  test("delay given as null is recorded as null in plan_args; omitted, as 0", async () => {
    const { det } = await createSimBeamline({ seed: 1 });
    const given = planEngine();
    await given.RE.call(count([det], 2, null));
    const args = onlyStart(given.docs)["plan_args"] as Record<string, unknown>;
    assert.equal(args["delay"], null);
    assert.equal(docsNamed(given.docs, "event").length, 2);
    const asOption = planEngine();
    await asOption.RE.call(count([det], 1, { delay: null }));
    assert.equal((onlyStart(asOption.docs)["plan_args"] as Record<string, unknown>)["delay"], null);
    const omitted = planEngine();
    await omitted.RE.call(count([det], 1));
    assert.equal((onlyStart(omitted.docs)["plan_args"] as Record<string, unknown>)["delay"], 0);
  });
});
