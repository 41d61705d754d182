// How every rel_* plan is made: the absolute plan with its moves taken as offsets from the
// motors' positions, and the motors returned there at the end (also on failure or abort).
import type { Metadata } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { relative_set_wrapper, reset_positions_wrapper } from "../preprocessors/relative.ts";

/** Wraps an absolute plan so that it runs relative to the motors' current positions. */
export function relativePlan<T>(
  motors: readonly unknown[],
  absolute: Plan<T>,
): Plan<T | undefined> {
  return reset_positions_wrapper(relative_set_wrapper(absolute, motors), motors) as Plan<
    T | undefined
  >;
}

/** The metadata a rel_* plan passes to its absolute plan: its name, then the user's keys. */
export function relativeMd(planName: string, md: Metadata | undefined): Metadata {
  return { plan_name: planName, ...(md ?? {}) };
}
