// Run-time guard rail of an agent's item: every `set` of its plan must target a listed motor
// with a value inside that motor's [low, high]; otherwise the plan fails before the move.
import { bpp, type Msg, objectName, type PlanLike } from "@cerulean/engine";
import { MotorLimitError } from "../errors.ts";
import type { MotorLimits } from "../manager/agents.ts";
import type { Environment } from "../profiles/profile.ts";
import { findDevice } from "./resolve-args.ts";

/** `plan` with each `set` checked against `motors` (names resolved in `env`). */
export function enforceMotorLimits(
  plan: PlanLike,
  motors: MotorLimits,
  env: Environment,
): PlanLike {
  const byDevice = new Map<unknown, string>();
  for (const name of Object.keys(motors)) {
    const device = findDevice(env, name);
    if (device !== undefined) byDevice.set(device, name);
  }
  return bpp.msg_mutator(plan, (msg: Msg) => {
    if (msg.command !== "set") return msg;
    const name = byDevice.get(msg.obj);
    const value = msg.args[0];
    if (name === undefined) {
      throw new MotorLimitError(
        `Agent limits forbid moving '${objectName(msg.obj)}' (to ${JSON.stringify(value)}): allowed motors are ${JSON.stringify(Object.keys(motors))}`,
      );
    }
    const [low, high] = motors[name] as [number, number];
    if (typeof value !== "number" || !(value >= low && value <= high)) {
      throw new MotorLimitError(
        `Agent limits forbid moving '${name}' to ${JSON.stringify(value)}: allowed range is [${low}, ${high}]`,
      );
    }
    return msg;
  });
}
