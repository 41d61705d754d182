// Which arguments of an agent's item name motors it would move (pure, no server).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkLimits, movableArguments } from "../../src/manager/agents.ts";
import { describePlans, type ExistingLists } from "../../src/profiles/describe.ts";
import { simPlans } from "../../src/profiles/sim-profile.ts";
import type { QueueItem } from "../../src/types.ts";

const movable = { classname: "SynAxis", module: "m", is_readable: true, is_flyable: false };
const lists: ExistingLists = {
  plans: {
    ...describePlans(simPlans()),
    label: {
      name: "label",
      module: "t",
      description: "",
      properties: { is_generator: true },
      parameters: [
        {
          name: "text",
          kind: { name: "POSITIONAL_OR_KEYWORD", value: 1 },
          annotation: { type: "str" },
        },
      ],
    },
  },
  devices: {
    motor1: { ...movable, is_movable: true },
    motor2: { ...movable, is_movable: true },
    det: { ...movable, is_movable: false },
  },
};
const item = (name: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
  ({ item_type: "plan", name, args, kwargs, item_uid: "u" }) as QueueItem;

describe("movable arguments", () => {
  it("finds motors in converted arguments, wherever they are nested", () => {
    assert.deepEqual(
      [...movableArguments(item("scan", [["det"], "motor1", -1, 1, "motor2", 0, 1]), lists)],
      ["motor1", "motor2"],
    );
    assert.deepEqual([...movableArguments(item("mv", ["motor2", 1]), lists)], ["motor2"]);
  });

  it("ignores metadata, string-typed parameters and detectors", () => {
    const md = { md: { sample: "motor1", motors: ["motor2"] } };
    assert.equal(movableArguments(item("count", [["det"]], md), lists).size, 0);
    assert.equal(movableArguments(item("label", ["motor1"]), lists).size, 0);
  });
});

describe("limits", () => {
  it("keeps the declared limits and rejects malformed ones", () => {
    assert.deepEqual(checkLimits({ motors: { m: [0, 1] }, max_total_time: 2.5 }), {
      motors: { m: [0, 1] },
      max_total_time: 2.5,
    });
    assert.deepEqual(checkLimits(undefined), {});
    assert.throws(() => checkLimits({ plans: "scan" }), /'plans' must be a list/);
    assert.throws(() => checkLimits({ motors: { m: [0, "1"] } }), /motor 'm'/);
    assert.throws(() => checkLimits({ max_total_time: -1 }), /max_total_time/);
    assert.throws(() => checkLimits([1]), /'limits' must be a dictionary/);
  });
});
