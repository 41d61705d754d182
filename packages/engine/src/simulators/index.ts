// The simulators: what a plan would do, checked and timed before it runs, without hardware.
export { type CheckLimitsOptions, check_limits } from "./check-limits.ts";
export { LimitViolation, SimulationError } from "./errors.ts";
export { type EstimateTimeOptions, estimate_time, type TimeEstimate } from "./estimate-time.ts";
export { plot_raster_path, type RasterPath, type RasterPathOptions } from "./raster-path.ts";
export {
  finishedStatus,
  type SimulateOptions,
  type Simulation,
  type SimulationState,
  simulate,
} from "./simulate.ts";
export { print_summary, type SummarizeOptions, summarize_plan } from "./summarize-plan.ts";
