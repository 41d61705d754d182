// list_scan and list_grid_scan (and rel_ versions): step scans over explicit position lists,
// zipped (all motors together) or as a grid (every combination, optionally snaking).
import type { Metadata } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { repr } from "../utils/repr.ts";
import {
  checkDetectors,
  checkFunction,
  checkMd,
  checkMovable,
  checkOptionKeys,
  checkPositions,
  dimensionsPerMotor,
  hintedFields,
  hintsOf,
  names,
  reprs,
  splitOptions,
} from "./args.ts";
import { PlanValidationError } from "./errors.ts";
import {
  inner_list_product,
  outer_list_product,
  PLAN_PATTERN_MODULE,
  type SnakeAxes,
} from "./plan-patterns.ts";
import { relativeMd, relativePlan } from "./relative-plan.ts";
import { type PerStepOptions, scan_nd } from "./scan-nd.ts";

/** Keyword arguments of list_grid_scan. */
export interface ListGridScanOptions extends PerStepOptions {
  /** false (default), true (all but the first motor) or the motors to snake. */
  snake_axes?: SnakeAxes;
}

interface ListArgs {
  motors: unknown[];
  lists: number[][];
  mdArgs: unknown[];
}

/** Checks `motor, [positions], ...` pairs. */
function parseLists(plan: string, args: readonly unknown[], sameLength: boolean): ListArgs {
  if (args.length === 0 || args.length % 2 !== 0) {
    throw new PlanValidationError(
      plan,
      "the arguments after detectors",
      "pairs of (motor, list of positions)",
      args,
    );
  }
  const out: ListArgs = { motors: [], lists: [], mdArgs: [] };
  for (let i = 0; i < args.length; i += 2) {
    const k = i / 2 + 1;
    const motor = args[i];
    checkMovable(plan, `motor ${k}`, motor);
    if (out.motors.includes(motor)) {
      throw new PlanValidationError(plan, `motor ${k}`, "a motor not already listed", motor);
    }
    const positions = checkPositions(plan, `positions of motor ${k}`, args[i + 1]);
    if (positions.length === 0) {
      throw new PlanValidationError(plan, `positions of motor ${k}`, "a non-empty list", positions);
    }
    out.motors.push(motor);
    out.lists.push(positions);
    out.mdArgs.push(repr(motor), positions);
  }
  const lengths = out.lists.map((l) => l.length);
  if (sameLength && lengths.some((n) => n !== lengths[0])) {
    throw new PlanValidationError(
      plan,
      "the position lists",
      `all of the same length; their lengths are ${names(out.motors)
        .map((n, i) => `${n}: ${lengths[i]}`)
        .join(", ")}`,
      undefined,
      { omitGot: true },
    );
  }
  return out;
}

function start(
  plan: string,
  detectors: readonly unknown[],
  rest: readonly unknown[],
  known: string[],
) {
  checkDetectors(plan, detectors);
  const [positional, options] = splitOptions<ListGridScanOptions>(rest);
  checkOptionKeys(plan, options, known);
  checkFunction(plan, "per_step", options.per_step);
  return { positional, options };
}

/**
 * Moves the motors together through their lists (equal lengths), reading the detectors at
 * each point: `list_scan([det], motor, [1, 2, 5])`.
 */
export function list_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: PerStepOptions]
): Plan<string | undefined>;
export function list_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function list_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const plan = "list_scan";
  const { positional, options } = start(plan, detectors, rest, ["per_step", "md"]);
  const { motors, lists, mdArgs } = parseLists(plan, positional, true);
  const userMd = checkMd(plan, options.md);
  const length = lists[0]?.length ?? 0;
  const md: Metadata = {
    detectors: names(detectors),
    motors: names(motors),
    num_points: length,
    num_intervals: length - 1,
    plan_args: { detectors: reprs(detectors), args: mdArgs, per_step: repr(options.per_step) },
    plan_name: plan,
    plan_pattern: "inner_list_product",
    plan_pattern_module: PLAN_PATTERN_MODULE,
    plan_pattern_args: { args: mdArgs },
    ...userMd,
  };
  const xFields = motors.flatMap((m) => hintedFields(m) ?? []);
  md["hints"] = {
    ...(xFields.length > 0 ? { dimensions: [[xFields, "primary"]] } : {}),
    ...hintsOf(userMd),
  };
  return scan_nd(detectors, inner_list_product(positional), {
    per_step: options.per_step ?? null,
    md,
  });
}

/** list_scan with positions relative to the current ones; the motors return at the end. */
export function rel_list_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: PerStepOptions]
): Plan<string | undefined>;
export function rel_list_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function rel_list_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const { positional, options } = start("rel_list_scan", detectors, rest, ["per_step", "md"]);
  const { motors } = parseLists("rel_list_scan", positional, true);
  return relativePlan(
    motors,
    list_scan(detectors, ...positional, {
      per_step: options.per_step ?? null,
      md: relativeMd("rel_list_scan", options.md),
    }),
  );
}

function checkSnakeAxes(plan: string, snake: unknown, motors: readonly unknown[]): SnakeAxes {
  if (snake === undefined || snake === null) return false;
  if (typeof snake === "boolean") return snake;
  if (!Array.isArray(snake) || snake.some((m) => !motors.includes(m))) {
    throw new PlanValidationError(
      plan,
      "snake_axes",
      "true, false or a list of the scanned motors",
      snake,
    );
  }
  if (snake.includes(motors[0])) {
    throw new PlanValidationError(
      plan,
      "snake_axes",
      "a list without the first (slowest) motor, which cannot snake",
      snake,
    );
  }
  return snake;
}

/**
 * Reads the detectors at every combination of the motors' positions, the first motor slowest:
 * `list_grid_scan([det4], motor1, [0, 1], motor2, [1, 2, 3], { snake_axes: true })`.
 */
export function list_grid_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: ListGridScanOptions]
): Plan<string | undefined>;
export function list_grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function list_grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const plan = "list_grid_scan";
  const { positional, options } = start(plan, detectors, rest, ["snake_axes", "per_step", "md"]);
  const { motors, lists, mdArgs } = parseLists(plan, positional, false);
  const snake = checkSnakeAxes(plan, options.snake_axes, motors);
  // Bluesky records snake_axes as given: true/false, or the motors (their reprs here, as the
  // start document must stay JSON).
  const snakeMd = Array.isArray(snake) ? snake.map(repr) : snake;
  const md: Metadata = {
    shape: lists.map((l) => l.length),
    extents: lists.map((l) => [Math.min(...l), Math.max(...l)]),
    snake_axes: snakeMd,
    plan_args: { detectors: reprs(detectors), args: mdArgs, per_step: repr(options.per_step) },
    plan_name: plan,
    plan_pattern: "outer_list_product",
    plan_pattern_args: { args: mdArgs, snake_axes: snakeMd },
    plan_pattern_module: PLAN_PATTERN_MODULE,
    motors: names(motors),
    hints: {},
    ...checkMd(plan, options.md),
  };
  const hints = hintsOf(md);
  const dimensions = dimensionsPerMotor(motors);
  if (dimensions !== undefined && !("dimensions" in hints)) hints["dimensions"] = dimensions;
  md["hints"] = hints;
  return scan_nd(detectors, outer_list_product(positional, snake), {
    per_step: options.per_step ?? null,
    md,
  });
}

/** list_grid_scan relative to the current positions; the motors return at the end. */
export function rel_list_grid_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: ListGridScanOptions]
): Plan<string | undefined>;
export function rel_list_grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function rel_list_grid_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const plan = "rel_list_grid_scan";
  const { positional, options } = start(plan, detectors, rest, ["snake_axes", "per_step", "md"]);
  const { motors } = parseLists(plan, positional, false);
  return relativePlan(
    motors,
    list_grid_scan(detectors, ...positional, {
      ...options,
      md: relativeMd(plan, options.md),
    }),
  );
}
