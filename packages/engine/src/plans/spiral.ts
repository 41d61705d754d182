// The spiral scans: spiral (rings), spiral_fermat (sunflower), spiral_square (a grid walked
// outwards from the centre), each with a rel_ version centred on the current position.
import type { Metadata } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { repr } from "../utils/repr.ts";
import {
  checkCount,
  checkDetectors,
  checkFunction,
  checkMd,
  checkMovable,
  checkNumber,
  checkOptionKeys,
  dimensionsPerMotor,
  hintsOf,
  reprs,
} from "./args.ts";
import type { Cycler } from "./cycler.ts";
import { PlanValidationError } from "./errors.ts";
import { PLAN_PATTERN_MODULE } from "./plan-patterns.ts";
import { relativeMd, relativePlan } from "./relative-plan.ts";
import { type PerStepOptions, scan_nd } from "./scan-nd.ts";
import {
  spiral_square_pattern,
  spiral_fermat as spiralFermatPattern,
  spiral as spiralPattern,
} from "./spiral-patterns.ts";

/** Keyword arguments of spiral and spiral_fermat. */
export interface SpiralOptions extends PerStepOptions {
  /** Ring spacing along y (default dr): an elliptical spiral. */
  dr_y?: number | null;
  /** Tilt of the bounding box, radians (default 0). */
  tilt?: number;
}

function checkPositive(plan: string, argument: string, value: unknown): number {
  const v = checkNumber(plan, argument, value);
  if (v <= 0) throw new PlanValidationError(plan, argument, "a number > 0", value);
  return v;
}

function checkCommon(
  plan: string,
  detectors: readonly unknown[],
  xMotor: unknown,
  yMotor: unknown,
  numbers: Record<string, unknown>,
  options: object,
  known: string[],
): void {
  checkDetectors(plan, detectors);
  checkMovable(plan, "x_motor", xMotor);
  checkMovable(plan, "y_motor", yMotor);
  if (xMotor === yMotor) {
    throw new PlanValidationError(plan, "y_motor", "a different motor from x_motor", yMotor);
  }
  for (const [name, value] of Object.entries(numbers)) checkNumber(plan, name, value);
  checkOptionKeys(plan, options, known);
  checkFunction(plan, "per_step", (options as PerStepOptions).per_step);
}

type RoundKind = { plan: "spiral"; nth: number } | { plan: "spiral_fermat"; factor: number };

function roundSpiral(
  kind: RoundKind,
  detectors: readonly unknown[],
  xMotor: unknown,
  yMotor: unknown,
  shape: { x_start: number; y_start: number; x_range: number; y_range: number; dr: number },
  options: SpiralOptions,
): Plan<string | undefined> {
  const { plan } = kind;
  const { x_start, y_start, x_range, y_range, dr } = shape;
  checkCommon(plan, detectors, xMotor, yMotor, shape, options, ["dr_y", "tilt", "per_step", "md"]);
  checkPositive(plan, "x_range", x_range);
  checkPositive(plan, "y_range", y_range);
  checkPositive(plan, "dr", dr);
  const dr_y = options.dr_y ?? null;
  if (dr_y !== null) checkPositive(plan, "dr_y", dr_y);
  const tilt = options.tilt ?? 0;
  checkNumber(plan, "tilt", tilt);
  let cycler: Cycler;
  let shapeArgs: Record<string, unknown>;
  if (kind.plan === "spiral") {
    checkPositive(plan, "nth", kind.nth);
    cycler = spiralPattern(xMotor, yMotor, { ...shape, nth: kind.nth, dr_y, tilt });
    shapeArgs = { dr, dr_y, nth: kind.nth, tilt };
  } else {
    // A negative factor is allowed, as in Bluesky: the same pattern turned by 180°.
    const factor = checkNumber(plan, "factor", kind.factor);
    if (factor === 0) {
      throw new PlanValidationError(plan, "factor", "a finite number other than 0", factor);
    }
    cycler = spiralFermatPattern(xMotor, yMotor, { ...shape, factor: kind.factor, dr_y, tilt });
    shapeArgs = { dr, factor: kind.factor, dr_y, tilt };
  }
  const place = { x_start, y_start, x_range, y_range };
  const motors = { x_motor: repr(xMotor), y_motor: repr(yMotor) };
  const md: Metadata = {
    plan_args: {
      detectors: reprs(detectors),
      ...motors,
      ...place,
      ...shapeArgs,
      per_step: repr(options.per_step),
    },
    extents: [
      [x_start - x_range, x_start + x_range],
      [y_start - y_range, y_start + y_range],
    ],
    plan_name: plan,
    plan_pattern: plan,
    plan_pattern_module: PLAN_PATTERN_MODULE,
    plan_pattern_args: { ...motors, ...place, ...shapeArgs },
    hints: {},
  };
  const dimensions = dimensionsPerMotor([xMotor, yMotor]);
  if (dimensions !== undefined) md["hints"] = { dimensions };
  // The user's md replaces keys wholesale here (hints included), as in Bluesky.
  Object.assign(md, checkMd(plan, options.md));
  return scan_nd(detectors, cycler, { per_step: options.per_step ?? null, md });
}

/**
 * A spiral centred on (x_start, y_start): rings `dr` apart with `nth` more points on each
 * ring, kept inside the x_range × y_range box.
 */
export function spiral(
  detectors: readonly unknown[],
  x_motor: unknown,
  y_motor: unknown,
  x_start: number,
  y_start: number,
  x_range: number,
  y_range: number,
  dr: number,
  nth: number,
  options: SpiralOptions = {},
): Plan<string | undefined> {
  const shape = { x_start, y_start, x_range, y_range, dr };
  return roundSpiral({ plan: "spiral", nth }, detectors, x_motor, y_motor, shape, options);
}

/** A Fermat spiral centred on (x_start, y_start): point i at radius √i·dr/factor. */
export function spiral_fermat(
  detectors: readonly unknown[],
  x_motor: unknown,
  y_motor: unknown,
  x_start: number,
  y_start: number,
  x_range: number,
  y_range: number,
  dr: number,
  factor: number,
  options: SpiralOptions = {},
): Plan<string | undefined> {
  const shape = { x_start, y_start, x_range, y_range, dr };
  return roundSpiral(
    { plan: "spiral_fermat", factor },
    detectors,
    x_motor,
    y_motor,
    shape,
    options,
  );
}

/**
 * A square spiral over an x_num × y_num grid spanning x_range × y_range, centred on
 * (x_center, y_center), walked outwards from the centre.
 */
export function spiral_square(
  detectors: readonly unknown[],
  x_motor: unknown,
  y_motor: unknown,
  x_center: number,
  y_center: number,
  x_range: number,
  y_range: number,
  x_num: number,
  y_num: number,
  options: PerStepOptions = {},
): Plan<string | undefined> {
  const plan = "spiral_square";
  const place = { x_center, y_center, x_range, y_range };
  checkCommon(plan, detectors, x_motor, y_motor, place, options, ["per_step", "md"]);
  checkCount(plan, "x_num", x_num, 2);
  checkCount(plan, "y_num", y_num, 2);
  const cycler = spiral_square_pattern(x_motor, y_motor, { ...place, x_num, y_num });
  const md: Metadata = {
    plan_args: {
      detectors: reprs(detectors),
      x_motor: repr(x_motor),
      y_motor: repr(y_motor),
      ...place,
      x_num,
      y_num,
      per_step: repr(options.per_step),
    },
    plan_name: plan,
    plan_pattern: plan,
    shape: [y_num, x_num],
    extents: [
      [y_center - y_range / 2, y_center + y_range / 2],
      [x_center - x_range / 2, x_center + x_range / 2],
    ],
    hints: {},
    ...checkMd(plan, options.md),
  };
  const hints = hintsOf(md);
  if (!("gridding" in hints)) hints["gridding"] = "rectilinear_nonsequential";
  const dimensions = dimensionsPerMotor([y_motor, x_motor]);
  if (dimensions !== undefined && !("dimensions" in hints)) hints["dimensions"] = dimensions;
  md["hints"] = hints;
  return scan_nd(detectors, cycler, { per_step: options.per_step ?? null, md });
}

/** spiral centred on the current position; the motors return there at the end. */
export function rel_spiral(
  detectors: readonly unknown[],
  x_motor: unknown,
  y_motor: unknown,
  x_range: number,
  y_range: number,
  dr: number,
  nth: number,
  options: SpiralOptions = {},
): Plan<string | undefined> {
  const md = relativeMd("rel_spiral", options.md);
  const inner = spiral(detectors, x_motor, y_motor, 0, 0, x_range, y_range, dr, nth, {
    ...options,
    md,
  });
  return relativePlan([x_motor, y_motor], inner);
}

/** spiral_fermat centred on the current position; the motors return there at the end. */
export function rel_spiral_fermat(
  detectors: readonly unknown[],
  x_motor: unknown,
  y_motor: unknown,
  x_range: number,
  y_range: number,
  dr: number,
  factor: number,
  options: SpiralOptions = {},
): Plan<string | undefined> {
  const md = relativeMd("rel_spiral_fermat", options.md);
  const inner = spiral_fermat(detectors, x_motor, y_motor, 0, 0, x_range, y_range, dr, factor, {
    ...options,
    md,
  });
  return relativePlan([x_motor, y_motor], inner);
}

/** spiral_square centred on the current position; the motors return there at the end. */
export function rel_spiral_square(
  detectors: readonly unknown[],
  x_motor: unknown,
  y_motor: unknown,
  x_range: number,
  y_range: number,
  x_num: number,
  y_num: number,
  options: PerStepOptions = {},
): Plan<string | undefined> {
  const md = relativeMd("rel_spiral_square", options.md);
  const inner = spiral_square(detectors, x_motor, y_motor, 0, 0, x_range, y_range, x_num, y_num, {
    ...options,
    md,
  });
  return relativePlan([x_motor, y_motor], inner);
}
