// Bluesky's preprocessors (plan wrappers) and their decorator forms, under their Bluesky names
// (import as a namespace: `bpp.baseline_wrapper(...)`).
export { baseline_decorator, baseline_wrapper } from "./baseline.ts";
export {
  contingency_decorator,
  finalize_decorator,
  set_run_key_decorator,
  stage_decorator,
} from "./decorators.ts";
export {
  fly_during_decorator,
  fly_during_wrapper,
  monitor_during_decorator,
  monitor_during_wrapper,
} from "./during.ts";
export {
  type ContingencyPlans,
  contingency_wrapper,
  type FinalPlan,
  finalize_wrapper,
} from "./finalize.ts";
export {
  inject_md_decorator,
  inject_md_wrapper,
  stub_decorator,
  stub_wrapper,
} from "./inject-md.ts";
export { lazily_stage_decorator, lazily_stage_wrapper } from "./lazily-stage.ts";
export { make_decorator, type PlanDecorator, type PlanFunction } from "./make-decorator.ts";
export { msg_mutator, pchain } from "./msg-mutator.ts";
export { type MutatorResult, plan_mutator } from "./plan-mutator.ts";
export { print_summary_wrapper } from "./print-summary.ts";
export {
  relative_set_decorator,
  relative_set_wrapper,
  reset_positions_decorator,
  reset_positions_wrapper,
} from "./relative.ts";
export { rewindable_wrapper } from "./rewindable.ts";
export { set_run_key_wrapper } from "./run-key.ts";
export { run_decorator, run_wrapper } from "./run-wrapper.ts";
export { stage_wrapper } from "./stage.ts";
export {
  subs_decorator,
  subs_wrapper,
  suspend_decorator,
  suspend_wrapper,
} from "./subs.ts";
export { SupplementalData, type SupplementalDataOptions } from "./supplemental-data.ts";
