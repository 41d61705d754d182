// Wrappers that run plans after another plan, whatever happens to it (Bluesky's finalize_wrapper
// and contingency_wrapper). A halt closes plans without running their cleanup plans.
import { PlanHalt } from "../errors.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";

/** A cleanup plan, or a function making one. */
export type FinalPlan = PlanLike | (() => PlanLike);

function planOf(final: FinalPlan): Plan<unknown> {
  return ensureGenerator(typeof final === "function" ? final() : final);
}

/** Runs `plan`, then `final_plan` however `plan` ended (except a halt); returns plan's value. */
export function* finalize_wrapper<T>(
  plan: PlanLike<T>,
  final_plan: FinalPlan,
): Plan<T | undefined> {
  let cleanup = true;
  try {
    return yield* ensureGenerator(plan);
  } catch (err) {
    if (err instanceof PlanHalt) cleanup = false;
    throw err;
  } finally {
    if (cleanup) yield* planOf(final_plan);
  }
}

/** The plans of contingency_wrapper. */
export interface ContingencyPlans {
  /** Runs when `plan` throws, with the error. */
  except_plan?: (err: unknown) => PlanLike;
  /** Runs when `plan` returns. */
  else_plan?: () => PlanLike;
  /** Runs in any case (not on halt). */
  final_plan?: FinalPlan;
  /** Rethrow after except_plan (default true). */
  auto_raise?: boolean;
}

/** try/except/else/finally for plans. */
export function* contingency_wrapper<T>(
  plan: PlanLike<T>,
  plans: ContingencyPlans = {},
): Plan<T | undefined> {
  let cleanup = true;
  let result: T | undefined;
  try {
    result = yield* ensureGenerator(plan);
  } catch (err) {
    if (err instanceof PlanHalt) {
      cleanup = false;
      throw err;
    }
    if (plans.except_plan) yield* ensureGenerator(plans.except_plan(err));
    if (plans.auto_raise ?? true) throw err;
    return undefined;
  } finally {
    if (cleanup && plans.final_plan) yield* planOf(plans.final_plan);
  }
  if (plans.else_plan) yield* ensureGenerator(plans.else_plan());
  return result;
}
