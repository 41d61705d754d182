// Turns rewinding off around a plan whose messages must not be replayed after a pause.
import { msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { finalize_wrapper } from "./finalize.ts";

/** Runs `plan` with the engine's rewindable flag set to `rewindable` (only acts when false). */
export function* rewindable_wrapper<T>(
  plan: PlanLike<T>,
  rewindable: boolean,
): Plan<T | undefined> {
  if (rewindable) return yield* ensureGenerator(plan);
  const initial = (yield msg("rewindable", null, { args: [null] })) as boolean;
  yield msg("rewindable", null, { args: [false] });
  return yield* finalize_wrapper(plan, function* restore() {
    if (initial !== false) yield msg("rewindable", null, { args: [initial] });
  });
}
