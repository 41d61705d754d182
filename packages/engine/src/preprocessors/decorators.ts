// Decorator forms of the wrappers that live elsewhere in the engine (finalize, contingency,
// stage, run key), so that every Bluesky *_decorator has a counterpart.
import { PlanArgumentError } from "../errors.ts";
import type { RunKey } from "../msg.ts";
import type { PlanLike } from "../plan.ts";
import {
  type ContingencyPlans,
  contingency_wrapper,
  type FinalPlan,
  finalize_wrapper,
} from "./finalize.ts";
import { make_decorator, type PlanDecorator } from "./make-decorator.ts";
import { set_run_key_wrapper } from "./run-key.ts";
import { stage_wrapper } from "./stage.ts";

/**
 * Runs `final_plan()` after each plan of the decorated function, however it ends (not on halt).
 * `final_plan` must be a function, so that every plan gets a fresh one.
 */
export function finalize_decorator(final_plan: () => PlanLike): PlanDecorator {
  if (typeof final_plan !== "function") {
    throw new PlanArgumentError(
      "finalize_decorator: final_plan must be a function returning a plan (not a plan), so each call gets a fresh one",
    );
  }
  return (planFunction) =>
    (...args) =>
      finalize_wrapper(planFunction(...args), final_plan as FinalPlan);
}

/** Decorator form of contingency_wrapper. */
export const contingency_decorator = make_decorator(
  (plan: PlanLike, plans: ContingencyPlans = {}) => contingency_wrapper(plan, plans),
);
/** Decorator form of stage_wrapper. */
export const stage_decorator = make_decorator((plan: PlanLike, devices: Iterable<unknown>) =>
  stage_wrapper(plan, devices),
);
/** Decorator form of set_run_key_wrapper. */
export const set_run_key_decorator = make_decorator((plan: PlanLike, run: RunKey) =>
  set_run_key_wrapper(plan, run),
);
