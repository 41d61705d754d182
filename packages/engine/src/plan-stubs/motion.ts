// Plan stubs for motion: abs_set, mv/mov, stop, prepare.
import type { Status } from "@cerulean/devices/protocols";
import { PlanArgumentError } from "../errors.ts";
import { type Group, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { shortUid } from "../utils/short-uid.ts";
import { wait } from "./control.ts";

/** Options of abs_set and prepare. */
export interface SetStubOptions {
  group?: Group;
  /** Wait for the move before returning. */
  wait?: boolean;
  [option: string]: unknown;
}

/** Starts moving `obj` to `value`; returns the Status (after it finishes when `wait`). */
export function* abs_set(obj: unknown, value: unknown, options: SetStubOptions = {}): Plan<Status> {
  const { wait: shouldWait, group: given, ...setOptions } = options;
  const group = shouldWait && given === undefined ? shortUid("set") : given;
  const kwargs = group === undefined ? setOptions : { ...setOptions, group };
  const status = (yield msg("set", obj, { args: [value], kwargs })) as Status;
  if (shouldWait) yield* wait(group);
  return status;
}

/** Options of mv. */
export interface MvOptions {
  group?: Group;
  /** Seconds to wait for all moves. */
  timeout?: number;
}

/**
 * Moves one or more objects at once and waits for all: `mv(m1, 1, m2, 2)`, options last
 * (`mv(m1, 1, { timeout: 5 })`). Returns the Statuses.
 */
export function* mv(...args: unknown[]): Plan<Status[]> {
  let options: MvOptions = {};
  if (args.length % 2 === 1) {
    const last = args[args.length - 1];
    if (typeof last !== "object" || last === null) {
      throw new PlanArgumentError(
        "mv takes pairs of object and value, optionally followed by an options object",
      );
    }
    options = last as MvOptions;
    args = args.slice(0, -1);
  }
  const group = options.group ?? shortUid("set");
  const statuses: Status[] = [];
  for (let i = 0; i < args.length; i += 2) {
    statuses.push(
      (yield msg("set", args[i], { args: [args[i + 1]], kwargs: { group } })) as Status,
    );
  }
  yield* wait(group, { timeout: options.timeout });
  return statuses;
}

/** Bluesky's alias of mv. */
export const mov = mv;

/** Stops `obj`. */
export function* stop(obj: unknown): Plan<unknown> {
  return yield msg("stop", obj);
}

/** Prepares `obj` (e.g. a fly-scan trajectory); returns the Status. */
export function* prepare(
  obj: unknown,
  value: unknown,
  options: { group?: Group; wait?: boolean } = {},
): Plan<Status> {
  const group = options.wait && options.group === undefined ? shortUid("prepare") : options.group;
  const status = (yield msg("prepare", obj, {
    args: [value],
    kwargs: group === undefined ? {} : { group },
  })) as Status;
  if (options.wait) yield* wait(group);
  return status;
}
