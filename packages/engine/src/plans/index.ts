// Bluesky's plans under their Bluesky names (import as a namespace: `bp.scan(...)`), with the
// trajectory building blocks (cycler, plan patterns) and the back-compat aliases.
// Bluesky's back-compat names.
export {
  type AdaptiveScanOptions,
  adaptive_scan,
  rel_adaptive_scan,
  rel_adaptive_scan as relative_adaptive_scan,
} from "./adaptive-scan.ts";
export { isOptions, type MdOption } from "./args.ts";
export { type CountOptions, count } from "./count.ts";
export { Cycler, cycler, type Step, snake_cyclers } from "./cycler.ts";
export { PlanValidationError, RampFail } from "./errors.ts";
export { fly } from "./fly.ts";
export {
  type GridScanOptions,
  grid_scan,
  grid_scan as outer_product_scan,
  rel_grid_scan,
  rel_grid_scan as relative_outer_product_scan,
} from "./grid-scan.ts";
export {
  type ListGridScanOptions,
  list_grid_scan,
  list_scan,
  rel_list_grid_scan,
  rel_list_scan,
  rel_list_scan as relative_list_scan,
} from "./list-scan.ts";
export {
  type LogScanOptions,
  log_scan,
  rel_log_scan,
  rel_log_scan as relative_log_scan,
} from "./log-scan.ts";
export {
  isOneDimensional,
  type PerStep,
  type PerStep1D,
  type PerStepND,
  per_step_1d,
} from "./per-step.ts";
export {
  chunk_outer_product_args,
  type GridAxis,
  inner_list_product,
  inner_product,
  linspace,
  logspace,
  outer_list_product,
  outer_product,
  PLAN_PATTERN_MODULE,
  type SnakeAxes,
} from "./plan-patterns.ts";
export { type RampPlanOptions, ramp_plan } from "./ramp-plan.ts";
export {
  inner_product_scan,
  rel_scan,
  rel_scan as relative_scan,
  relative_inner_product_scan,
  type ScanOptions,
  scan,
  x2x_scan,
} from "./scan.ts";
export { type PerStepOptions, scan_nd } from "./scan-nd.ts";
export {
  rel_spiral,
  rel_spiral as relative_spiral,
  rel_spiral_fermat,
  rel_spiral_fermat as relative_spiral_fermat,
  rel_spiral_square,
  type SpiralOptions,
  spiral,
  spiral_fermat,
  spiral_square,
} from "./spiral.ts";
export {
  type SpiralShape,
  type SquareSpiralShape,
  spiral as spiral_pattern,
  spiral_fermat as spiral_fermat_pattern,
  spiral_square_pattern,
} from "./spiral-patterns.ts";
export { type TuneCentroidOptions, tune_centroid } from "./tune-centroid.ts";
export { tweak } from "./tweak.ts";
