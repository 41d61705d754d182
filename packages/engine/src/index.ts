// @cerulean/engine: the RunEngine, the Msg protocol, plan stubs, preprocessors and plans.
import * as bps from "./plan-stubs/index.ts";
import * as bp from "./plans/index.ts";
import * as bpp from "./preprocessors/index.ts";

export {
  type ControlException,
  DataKeysMismatch,
  DeviceError,
  describeCause,
  EngineError,
  FailedPause,
  FailedStatus,
  IllegalMessageSequence,
  InvalidCommand,
  isControlException,
  MetadataPersistenceError,
  NoReplayAllowed,
  PlanArgumentError,
  PlanHalt,
  ProtocolError,
  RequestAbort,
  RequestStop,
  RunEngineBusy,
  RunEngineInterrupted,
  RunEnginePanicked,
  TransitionError,
  WaitForTimeoutError,
} from "./errors.ts";
export type {
  CommandName,
  Configurable,
  ConfigureResult,
  Group,
  KnownMsg,
  Metadata,
  MsgOf,
  MsgParts,
  RunKey,
} from "./msg.ts";
export { formatMsg, type Msg, msg, objectName, UNCACHEABLE_COMMANDS } from "./msg.ts";
export {
  ensureGenerator,
  type Plan,
  type PlanFactory,
  type PlanLike,
  type Preprocessor,
  singleMessage,
} from "./plan.ts";
export {
  abs_set,
  broadcast_msg,
  checkpoint,
  clear_checkpoint,
  close_run,
  collect,
  complete,
  complete_all,
  configure,
  create,
  declare_stream,
  deferred_pause,
  drop,
  input_plan,
  install_suspender,
  kickoff,
  kickoff_all,
  locate,
  messages,
  monitor,
  mov,
  mv,
  null,
  open_run,
  pause,
  prepare,
  rd,
  read,
  remove_suspender,
  repeat,
  repeater,
  save,
  sleep,
  stage,
  stage_all,
  stop,
  subscribe,
  trigger,
  trigger_and_read,
  unmonitor,
  unstage,
  unstage_all,
  unsubscribe,
  wait,
  wait_for,
} from "./plan-stubs/index.ts";
export { type CountOptions, count } from "./plans/count.ts";
export { PlanValidationError, RampFail } from "./plans/errors.ts";
export {
  type ContingencyPlans,
  contingency_wrapper,
  type FinalPlan,
  finalize_wrapper,
} from "./preprocessors/finalize.ts";
export { rewindable_wrapper } from "./preprocessors/rewindable.ts";
export { set_run_key_wrapper } from "./preprocessors/run-key.ts";
export { run_decorator, run_wrapper } from "./preprocessors/run-wrapper.ts";
export { stage_wrapper } from "./preprocessors/stage.ts";
export type { CommandHandler, EngineContext, EngineServices } from "./run-engine/context.ts";
export {
  type CallbackErrorReporter,
  Dispatcher,
  type SubscriptionName,
} from "./run-engine/dispatcher.ts";
export {
  handleSigint,
  type InterruptAction,
  InterruptHandler,
  type InterruptOptions,
  type InterruptTarget,
  type SignalSource,
} from "./run-engine/interrupts.ts";
export {
  type PersistentMetadata,
  type PersistentMetadataOptions,
  persistentMetadata,
} from "./run-engine/persistent-metadata.ts";
export type { RunEngineResult, SuspendRequest } from "./run-engine/plan-runner.ts";
export type { DeclaredStream, RunBundler, StreamInfo } from "./run-engine/run-bundler.ts";
export { CERULEAN_VERSION, RunEngine } from "./run-engine/run-engine.ts";
export {
  type CallOptions,
  type CallSubscriptions,
  type EngineLog,
  PAUSE_MSG,
  type PlanWrapper,
  type PreprocessorLike,
  type RunEngineOptions,
  type Suspender,
} from "./run-engine/run-engine-options.ts";
export {
  ENGINE_STATES,
  type EngineState,
  type StateHook,
  StateMachine,
  TRANSITIONS,
} from "./run-engine/state-machine.ts";
export { isStatus } from "./run-engine/status-groups.ts";
export {
  SuspendBoolHigh,
  SuspendBoolLow,
  SuspendCeil,
  SuspenderBase,
  type SuspenderHost,
  type SuspenderOptions,
  SuspendFloor,
  SuspendInBand,
  type SuspendOptions,
  SuspendOutBand,
  SuspendWhenChanged,
  SuspendWhenOutsideBand,
  type ThresholdOptions,
  type WhenChangedOptions,
} from "./run-engine/suspenders.ts";
export {
  type CheckLimitsOptions,
  check_limits,
  type EstimateTimeOptions,
  estimate_time,
  finishedStatus,
  LimitViolation,
  plot_raster_path,
  print_summary,
  type RasterPath,
  type RasterPathOptions,
  type SimulateOptions,
  type Simulation,
  SimulationError,
  type SimulationState,
  type SummarizeOptions,
  simulate,
  summarize_plan,
  type TimeEstimate,
} from "./simulators/index.ts";
export { root_ancestor, separate_devices } from "./utils/devices.ts";
export { repr } from "./utils/repr.ts";
export { shortUid } from "./utils/short-uid.ts";
/** Plans (`bp.scan`), plan stubs (`bps.mv`) and preprocessors (`bpp.baseline_wrapper`), as in Bluesky. */
export { bp, bpp, bps };
