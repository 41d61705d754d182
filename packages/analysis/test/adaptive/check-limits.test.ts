import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AgentLimitError, checkItemLimits, motorTargets, planItem } from "../../src/index.ts";

const limits = {
  plans: ["scan", "list_scan", "mv"],
  motors: { m1: [-1, 1] as [number, number] },
  max_runs: 2,
};

describe("agent limits", () => {
  test("motor targets are read from the known plan layouts", () => {
    assert.deepEqual(
      [...(motorTargets(planItem("scan", [["d"], "m1", -1, 1, "m2", 0, 2, 5])) ?? [])],
      [
        ["m1", [-1, 1]],
        ["m2", [0, 2]],
      ],
    );
    assert.deepEqual(
      [...(motorTargets(planItem("list_scan", [["d"], "m1", [0, 0.5]])) ?? [])],
      [["m1", [0, 0.5]]],
    );
    assert.deepEqual(
      [...(motorTargets(planItem("mv", ["m1", 0.3, "m2", 4])) ?? [])],
      [
        ["m1", [0.3]],
        ["m2", [4]],
      ],
    );
    assert.equal(motorTargets(planItem("spiral", [["d"], "m1", "m2"])), null);
  });

  test("an item inside the limits passes", () => {
    checkItemLimits("a", planItem("scan", [["d"], "m1", -1, 1, 5]), limits, 0);
    checkItemLimits("a", planItem("list_scan", [["d"], "m1", [0.9]]), limits, 1);
  });

  test("each broken limit is named with the offending value", () => {
    const cases: [Parameters<typeof checkItemLimits>, RegExp][] = [
      [["a", planItem("count", [["d"]]), limits, 0], /plan "count"; its limits allow only/],
      [["a", planItem("mv", ["m1", 0]), limits, 2], /run 3; its limits allow at most 2/],
      [
        ["a", planItem("mv", ["m2", 0]), limits, 0],
        /moving "m2"; its limits declare only \["m1"\]/,
      ],
      [
        ["a", planItem("scan", [["d"], "m1", -1, 1.5, 5]), limits, 0],
        /"m1" to 1.5; its limits allow \[-1, 1\]/,
      ],
      [
        ["a", planItem("spiral", []), { motors: limits.motors }, 0],
        /"spiral", whose motor arguments cannot be checked/,
      ],
    ];
    for (const [args, message] of cases) {
      assert.throws(
        () => checkItemLimits(...args),
        (e: Error) => e instanceof AgentLimitError && message.test(e.message),
      );
    }
  });
});
