// grid_scan and rel_grid_scan: every combination of evenly spaced positions of several motors,
// the first slowest, with optional snaking (back and forth) of the faster axes.
import { PlanArgumentError } from "../errors.ts";
import type { Metadata } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { repr } from "../utils/repr.ts";
import {
  checkCount,
  checkDetectors,
  checkFunction,
  checkMd,
  checkNumber,
  checkOptionKeys,
  dimensionsPerMotor,
  hintsOf,
  names,
  reprs,
  splitOptions,
} from "./args.ts";
import { PlanValidationError } from "./errors.ts";
import {
  chunk_outer_product_args,
  type GridAxis,
  outer_product,
  PLAN_PATTERN_MODULE,
  type SnakeAxes,
} from "./plan-patterns.ts";
import { relativeMd, relativePlan } from "./relative-plan.ts";
import { type PerStepOptions, scan_nd } from "./scan-nd.ts";

/** Keyword arguments of grid_scan. */
export interface GridScanOptions extends PerStepOptions {
  /** false (default), true (all but the first motor) or the motors to snake. */
  snake_axes?: SnakeAxes | null;
}

/** The checked axes of a grid scan, with their snake flags settled. */
function parseGrid(
  plan: string,
  detectors: readonly unknown[],
  rest: readonly unknown[],
): { axes: GridAxis[]; options: GridScanOptions } {
  checkDetectors(plan, detectors);
  const [positional, options] = splitOptions<GridScanOptions>(rest);
  checkOptionKeys(plan, options, ["snake_axes", "per_step", "md"]);
  checkFunction(plan, "per_step", options.per_step);
  let chunked: ReturnType<typeof chunk_outer_product_args>;
  try {
    chunked = chunk_outer_product_args(positional);
  } catch (err) {
    if (!(err instanceof PlanArgumentError)) throw err;
    throw new PlanValidationError(plan, "the arguments after detectors", err.message, undefined, {
      omitGot: true,
    });
  }
  const { axes, pattern } = chunked;
  const snakeAxes = options.snake_axes;
  if (snakeAxes !== undefined && snakeAxes !== null && pattern === 2) {
    throw new PlanValidationError(
      plan,
      "snake_axes",
      "omitted when the arguments carry per-axis snake flags (the older form); use one or the other",
      snakeAxes,
    );
  }
  const motors = axes.map(([motor]) => motor);
  axes.forEach(([motor, start, stop, num], i) => {
    if (motors.indexOf(motor) !== i) {
      throw new PlanValidationError(plan, `motor ${i + 1}`, "a motor not already listed", motor);
    }
    checkNumber(plan, `start of motor ${i + 1}`, start);
    checkNumber(plan, `stop of motor ${i + 1}`, stop);
    checkCount(plan, `num of motor ${i + 1}`, num);
  });
  if (Array.isArray(snakeAxes)) {
    if (new Set(snakeAxes).size !== snakeAxes.length) {
      throw new PlanValidationError(plan, "snake_axes", "a list without repeats", snakeAxes);
    }
    if (snakeAxes.includes(motors[0])) {
      throw new PlanValidationError(
        plan,
        "snake_axes",
        "a list without the first (slowest) motor, which cannot snake",
        snakeAxes,
      );
    }
    if (snakeAxes.some((m) => !motors.includes(m))) {
      throw new PlanValidationError(plan, "snake_axes", "a list of the scanned motors", snakeAxes);
    }
    axes.forEach((axis, i) => {
      axis[4] = i > 0 && snakeAxes.includes(axis[0]);
    });
  } else if (snakeAxes === true || snakeAxes === false) {
    axes.forEach((axis, i) => {
      axis[4] = snakeAxes && i > 0;
    });
  } else if (snakeAxes !== undefined && snakeAxes !== null) {
    throw new PlanValidationError(plan, "snake_axes", "true, false or a list of motors", snakeAxes);
  }
  return { axes, options };
}

/**
 * Reads the detectors on a grid, first motor slowest:
 * `grid_scan([det4], motor1, -1, 1, 3, motor2, -2, 2, 5, { snake_axes: true })`.
 */
export function grid_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: GridScanOptions]
): Plan<string | undefined>;
export function grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const plan = "grid_scan";
  const { axes, options } = parseGrid(plan, detectors, rest);
  const motors = axes.map(([motor]) => motor);
  const mdArgs: unknown[] = [];
  axes.forEach(([motor, start, stop, num, snake], i) => {
    mdArgs.push(repr(motor), start, stop, num);
    if (i > 0) mdArgs.push(snake);
  });
  const md: Metadata = {
    shape: axes.map(([, , , num]) => num),
    extents: axes.map(([, start, stop]) => [start, stop]),
    snaking: axes.map(([, , , , snake]) => snake),
    plan_args: { detectors: reprs(detectors), args: mdArgs, per_step: repr(options.per_step) },
    plan_name: plan,
    plan_pattern: "outer_product",
    plan_pattern_args: { args: mdArgs },
    plan_pattern_module: PLAN_PATTERN_MODULE,
    motors: names(motors),
    hints: {},
    ...checkMd(plan, options.md),
  };
  const hints = hintsOf(md);
  if (!("gridding" in hints)) hints["gridding"] = "rectilinear";
  const dimensions = dimensionsPerMotor(motors);
  if (dimensions !== undefined && !("dimensions" in hints)) hints["dimensions"] = dimensions;
  md["hints"] = hints;
  return scan_nd(detectors, outer_product(axes), { per_step: options.per_step ?? null, md });
}

/** grid_scan relative to the current positions; the motors return there at the end. */
export function rel_grid_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: GridScanOptions]
): Plan<string | undefined>;
export function rel_grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function rel_grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const plan = "rel_grid_scan";
  const { options } = parseGrid(plan, detectors, rest);
  const [positional] = splitOptions<GridScanOptions>(rest);
  const motors = chunk_outer_product_args(positional).axes.map(([motor]) => motor);
  return relativePlan(
    motors,
    grid_scan(detectors, ...positional, { ...options, md: relativeMd(plan, options.md) }),
  );
}
