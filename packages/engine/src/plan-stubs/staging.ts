// Plan stubs for staging: stage, unstage, stage_all, unstage_all.
import { type Group, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { isStatus } from "../run-engine/status-groups.ts";
import { shortUid } from "../utils/short-uid.ts";
import { wait } from "./control.ts";

/** Stages `obj`; returns what stage() returned ([] when it cannot be staged). */
export function* stage(
  obj: unknown,
  options: { group?: Group; wait?: boolean } = {},
): Plan<unknown> {
  const group = options.wait && options.group === undefined ? shortUid("stage") : options.group;
  const result = yield msg("stage", obj, { kwargs: group === undefined ? {} : { group } });
  if (options.wait) yield* wait(group);
  return result;
}

/** Unstages `obj`. */
export function* unstage(
  obj: unknown,
  options: { group?: Group; wait?: boolean } = {},
): Plan<unknown> {
  const group = options.wait && options.group === undefined ? shortUid("unstage") : options.group;
  const result = yield msg("unstage", obj, { kwargs: group === undefined ? {} : { group } });
  if (options.wait) yield* wait(group);
  return result;
}

function* allInGroup(
  command: "stage" | "unstage",
  objs: Iterable<unknown>,
  group: Group,
): Plan<void> {
  let statuses = 0;
  for (const obj of objs) {
    if (isStatus(yield msg(command, obj, { kwargs: { group } }))) statuses++;
  }
  if (statuses > 0) yield* wait(group);
}

/** Stages every object in one group and waits for those that returned a Status. */
export function stage_all(objs: Iterable<unknown>, options: { group?: Group } = {}): Plan<void> {
  return allInGroup("stage", objs, options.group ?? shortUid("stage_all"));
}

/** Unstages every object in one group and waits for those that returned a Status. */
export function unstage_all(objs: Iterable<unknown>, options: { group?: Group } = {}): Plan<void> {
  return allInGroup("unstage", objs, options.group ?? shortUid("unstage_all"));
}
