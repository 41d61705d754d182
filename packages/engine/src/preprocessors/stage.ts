// Stages devices before a plan and unstages them after, whatever happens.
import type { Plan, PlanLike } from "../plan.ts";
import { ensureGenerator } from "../plan.ts";
import { stage_all, unstage_all } from "../plan-stubs/staging.ts";
import { root_ancestor, separate_devices } from "../utils/devices.ts";
import { finalize_wrapper } from "./finalize.ts";

/**
 * Stages the root devices of `devices` (waiting for the staging to finish), runs `plan`, then
 * unstages them in reverse order.
 */
export function* stage_wrapper<T>(
  plan: PlanLike<T>,
  devices: Iterable<unknown>,
): Plan<T | undefined> {
  const roots = separate_devices([...devices].map(root_ancestor));
  function* inner(): Plan<T | undefined> {
    yield* stage_all(roots);
    return yield* ensureGenerator(plan);
  }
  return yield* finalize_wrapper(inner(), () => unstage_all([...roots].reverse()));
}
