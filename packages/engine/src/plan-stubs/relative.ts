// Relative motion stubs: rel_set and mvr/movr move by an offset from the current position.
import type { Status } from "@cerulean/devices/protocols";
import { PlanArgumentError } from "../errors.ts";
import type { Plan } from "../plan.ts";
import { relative_set_wrapper } from "../preprocessors/relative.ts";
import { abs_set, mv, type SetStubOptions } from "./motion.ts";

/** Moves `obj` by `offset` from where it is; returns the Status (finished when `wait`). */
export function* rel_set(
  obj: unknown,
  offset: unknown,
  options: SetStubOptions = {},
): Plan<Status> {
  return (yield* relative_set_wrapper(abs_set(obj, offset, options), [obj])) as Status;
}

/**
 * Moves one or more objects by offsets at once and waits: `mvr(m1, 0.1, m2, -0.2)`, options
 * (`group`, `timeout`) last. Returns the Statuses.
 */
export function mvr(...args: unknown[]): Plan<Status[]> {
  const pairs = args.length % 2 === 1 ? args.slice(0, -1) : args;
  if (pairs.length === 0) {
    throw new PlanArgumentError("mvr takes pairs of object and offset; got none");
  }
  const objs = pairs.filter((_, i) => i % 2 === 0);
  return relative_set_wrapper(mv(...args), objs) as Plan<Status[]>;
}

/** Bluesky's alias of mvr. */
export const movr = mvr;
