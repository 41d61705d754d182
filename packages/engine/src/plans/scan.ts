// scan and rel_scan: one trajectory of several motors moving together, start to stop in `num`
// points; inner_product_scan and x2x_scan are variations of it.
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
  hintedFields,
  hintsOf,
  names,
  reprs,
  splitOptions,
} from "./args.ts";
import { PlanValidationError } from "./errors.ts";
import { inner_product, PLAN_PATTERN_MODULE } from "./plan-patterns.ts";
import { relativeMd, relativePlan } from "./relative-plan.ts";
import { type PerStepOptions, scan_nd } from "./scan-nd.ts";

/** Keyword arguments of scan and rel_scan. */
export interface ScanOptions extends PerStepOptions {
  /** Number of points, when not given as the last positional argument. */
  num?: number;
}

/** The motors and (motor, start, stop) groups of a scan, checked. */
function parseGroups(plan: string, args: readonly unknown[]): unknown[][] {
  if (args.length === 0 || args.length % 3 !== 0) {
    throw new PlanValidationError(
      plan,
      "the arguments after detectors",
      "groups of (motor, start, stop), then num",
      args,
    );
  }
  const groups: unknown[][] = [];
  const seen = new Set<unknown>();
  for (let i = 0; i < args.length; i += 3) {
    const [motor, start, stop] = args.slice(i, i + 3);
    const k = i / 3 + 1;
    checkMovable(plan, `motor ${k}`, motor);
    if (seen.has(motor)) {
      throw new PlanValidationError(plan, `motor ${k}`, "a motor not already listed", motor);
    }
    seen.add(motor);
    checkNumber(plan, `start of motor ${k}`, start);
    checkNumber(plan, `stop of motor ${k}`, stop);
    groups.push([motor, start, stop]);
  }
  return groups;
}

/** Splits scan's arguments: `motor, start, stop, ..., num?, options?`. */
function parseScanArgs(
  plan: string,
  detectors: readonly unknown[],
  rest: readonly unknown[],
): { args: unknown[]; num: number; options: ScanOptions } {
  checkDetectors(plan, detectors);
  const [positional, options] = splitOptions<ScanOptions>(rest);
  checkOptionKeys(plan, options, ["num", "per_step", "md"]);
  checkFunction(plan, "per_step", options.per_step);
  let num = options.num;
  let args = positional;
  if (num === undefined) {
    if (positional.length % 3 !== 1) {
      throw new PlanValidationError(
        plan,
        "num",
        "given as the last positional argument (after the motor, start, stop groups) or as the num option",
        undefined,
        { omitGot: true },
      );
    }
    num = positional[positional.length - 1] as number;
    args = positional.slice(0, -1);
  }
  checkCount(plan, "num", num);
  parseGroups(plan, args);
  return { args, num, options };
}

/**
 * Moves one or more motors together from start to stop in `num` points, reading the detectors
 * at each: `scan([det], motor, -1, 1, 10)`, `scan([det], m1, 0, 1, m2, 5, 6, 3)`.
 */
export function scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: ScanOptions]
): Plan<string | undefined>;
export function scan(detectors: readonly unknown[], ...rest: unknown[]): Plan<string | undefined>;
export function scan(detectors: readonly unknown[], ...rest: unknown[]): Plan<string | undefined> {
  const { args, num, options } = parseScanArgs("scan", detectors, rest);
  const userMd = checkMd("scan", options.md);
  const mdArgs: unknown[] = [];
  const motors: unknown[] = [];
  for (let i = 0; i < args.length; i += 3) {
    mdArgs.push(repr(args[i]), args[i + 1], args[i + 2]);
    motors.push(args[i]);
  }
  const md: Metadata = {
    plan_args: { detectors: reprs(detectors), num, args: mdArgs, per_step: repr(options.per_step) },
    plan_name: "scan",
    plan_pattern: "inner_product",
    plan_pattern_module: PLAN_PATTERN_MODULE,
    plan_pattern_args: { num, args: mdArgs },
    motors: names(motors),
    ...userMd,
  };
  // All motors move together: one dimension made of every motor's hinted fields.
  const xFields = motors.flatMap((m) => hintedFields(m) ?? []);
  md["hints"] = {
    ...(xFields.length > 0 ? { dimensions: [[xFields, "primary"]] } : {}),
    ...hintsOf(userMd),
  };
  return scan_nd(detectors, inner_product(num, args), {
    per_step: options.per_step ?? null,
    md,
  });
}

/** scan relative to the motors' current positions; they return there at the end. */
export function rel_scan(
  detectors: readonly unknown[],
  ...rest: [...args: unknown[], options: ScanOptions]
): Plan<string | undefined>;
export function rel_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined>;
export function rel_scan(
  detectors: readonly unknown[],
  ...rest: unknown[]
): Plan<string | undefined> {
  const { args, num, options } = parseScanArgs("rel_scan", detectors, rest);
  const motors = args.filter((_, i) => i % 3 === 0);
  const absolute = scan(detectors, ...args, {
    num,
    per_step: options.per_step ?? null,
    md: relativeMd("rel_scan", options.md),
  });
  return relativePlan(motors, absolute);
}

/** scan with `num` first: `inner_product_scan([det], 10, motor, -1, 1)`. */
export function inner_product_scan(
  detectors: readonly unknown[],
  num: number,
  ...rest: unknown[]
): Plan<string | undefined> {
  const [args, options] = splitOptions<PerStepOptions>(rest);
  const md = { plan_name: "inner_product_scan", ...(options.md ?? {}) };
  return scan(detectors, ...args, num, { ...options, md });
}

/** rel_scan with `num` first. */
export function relative_inner_product_scan(
  detectors: readonly unknown[],
  num: number,
  ...rest: unknown[]
): Plan<string | undefined> {
  const [args, options] = splitOptions<PerStepOptions>(rest);
  const md = { plan_name: "relative_inner_product_scan", ...(options.md ?? {}) };
  return rel_scan(detectors, ...args, num, { ...options, md });
}

/**
 * Relative scan of two motors in a 2:1 ratio (a generalised theta-2theta): motor1 from start
 * to stop, motor2 from start/2 to stop/2, in `num` points.
 */
export function x2x_scan(
  detectors: readonly unknown[],
  motor1: unknown,
  motor2: unknown,
  start: number,
  stop: number,
  num: number,
  options: PerStepOptions = {},
): Plan<string | undefined> {
  const plan = "x2x_scan";
  checkDetectors(plan, detectors);
  checkMovable(plan, "motor1", motor1);
  checkMovable(plan, "motor2", motor2);
  checkNumber(plan, "start", start);
  checkNumber(plan, "stop", stop);
  checkCount(plan, "num", num);
  checkOptionKeys(plan, options, ["per_step", "md"]);
  const md: Metadata = {
    plan_name: plan,
    plan_args: {
      detectors: reprs(detectors),
      motor1: names([motor1])[0],
      motor2: names([motor2])[0],
      start,
      stop,
      num,
      per_step: repr(options.per_step),
    },
    ...checkMd(plan, options.md),
  };
  return relative_inner_product_scan(
    detectors,
    num,
    motor1,
    start,
    stop,
    motor2,
    start / 2,
    stop / 2,
    {
      per_step: options.per_step ?? null,
      md,
    },
  );
}
