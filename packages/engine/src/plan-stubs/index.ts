// Bluesky's plan stubs, under their Bluesky names (import as a namespace: `bps.mv(...)`).
export {
  broadcast_msg,
  checkpoint,
  clear_checkpoint,
  deferred_pause,
  input_plan,
  install_suspender,
  messages,
  null,
  pause,
  remove_suspender,
  repeat,
  repeater,
  sleep,
  subscribe,
  unsubscribe,
  wait,
  wait_for,
} from "./control.ts";
export { collect, complete, complete_all, kickoff, kickoff_all } from "./fly.ts";
export {
  type CollectWhileCompletingOptions,
  caching_repeater,
  collect_while_completing,
} from "./fly-helpers.ts";
export { abs_set, mov, mv, prepare, stop } from "./motion.ts";
export {
  move_per_step,
  one_1d_step,
  one_nd_step,
  one_shot,
  type PositionCache,
  type StepPositions,
  type TakeReading,
} from "./per-step.ts";
export { configure, locate, rd, read, trigger, trigger_and_read } from "./readings.ts";
export { movr, mvr, rel_set } from "./relative.ts";
export {
  close_run,
  create,
  declare_stream,
  drop,
  monitor,
  open_run,
  save,
  unmonitor,
} from "./run.ts";
export { stage, stage_all, unstage, unstage_all } from "./staging.ts";
