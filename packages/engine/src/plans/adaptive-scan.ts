// adaptive_scan and rel_adaptive_scan: a 1-D scan whose step follows the local slope of one
// field: long steps where it is flat, short ones where it changes fast.
import type { DataKeys, Readable, Readings } from "@cerulean/devices/protocols";
import { type Metadata, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { wait_for } from "../plan-stubs/control.ts";
import { mv } from "../plan-stubs/motion.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { stage_wrapper } from "../preprocessors/stage.ts";
import { separate_devices } from "../utils/devices.ts";
import { repr } from "../utils/repr.ts";
import {
  checkDetectors,
  checkMd,
  checkMovable,
  checkNumber,
  checkOptionKeys,
  hintedFields,
  hintsOf,
  type MdOption,
  names,
  reprs,
  splitOptions,
  withoutTrailingUndefined,
} from "./args.ts";
import { PlanValidationError } from "./errors.ts";
import { relativeMd, relativePlan } from "./relative-plan.ts";

/** Keyword arguments of adaptive_scan. */
export interface AdaptiveScanOptions extends MdOption {
  /** Go back and redo a step when the new step is below threshold × the last (default 0.8). */
  threshold?: number | null;
}

interface Adaptive {
  plan: string;
  detectors: readonly unknown[];
  target_field: string;
  motor: unknown;
  start: number;
  stop: number;
  min_step: number;
  max_step: number;
  target_delta: number;
  backstep: boolean;
  threshold: number;
  /** threshold as given, for plan_args (null stays null, as Bluesky records None). */
  thresholdArg: number | null;
  md: Metadata;
}

function parse(plan: string, args: readonly unknown[]): Adaptive {
  const [positional, options] = splitOptions<AdaptiveScanOptions>(args);
  checkOptionKeys(plan, options, ["threshold", "md"]);
  if (positional.length < 9 || positional.length > 10) {
    throw new PlanValidationError(
      plan,
      "its arguments",
      "(detectors, target_field, motor, start, stop, min_step, max_step, target_delta, backstep, threshold?)",
      `${positional.length} positional arguments`,
    );
  }
  const [detectors, target_field, motor, start, stop, min_step, max_step, target_delta, backstep] =
    positional;
  const given = positional[9] !== undefined ? positional[9] : options.threshold;
  const threshold = given ?? 0.8;
  checkDetectors(plan, detectors);
  if (typeof target_field !== "string" || target_field === "") {
    throw new PlanValidationError(plan, "target_field", "the name of a data key", target_field);
  }
  checkMovable(plan, "motor", motor);
  checkNumber(plan, "start", start);
  checkNumber(plan, "stop", stop);
  const lo = checkNumber(plan, "min_step", min_step);
  const hi = checkNumber(plan, "max_step", max_step);
  if (!(lo > 0 && lo < hi)) {
    throw new PlanValidationError(
      plan,
      "min_step and max_step",
      "such that 0 < min_step < max_step",
      [lo, hi],
    );
  }
  checkNumber(plan, "target_delta", target_delta);
  if (typeof backstep !== "boolean") {
    throw new PlanValidationError(plan, "backstep", "true or false", backstep);
  }
  checkNumber(plan, "threshold", threshold);
  return {
    plan,
    detectors: detectors as unknown[],
    target_field,
    motor,
    start: start as number,
    stop: stop as number,
    min_step: lo,
    max_step: hi,
    target_delta: target_delta as number,
    backstep,
    threshold: threshold as number,
    thresholdArg: given === undefined ? 0.8 : (given as number | null),
    md: checkMd(plan, options.md),
  };
}

/** The scan itself: step, measure, and size the next step from the change just seen. */
function* adaptiveCore(a: Adaptive): Plan<void> {
  const direction = a.stop >= a.start ? 1 : -1;
  const devices = separate_devices([...a.detectors, a.motor]);
  let next = a.start;
  let step = (a.max_step - a.min_step) / 2;
  let past: number | undefined;
  while (next * direction < a.stop * direction) {
    yield msg("checkpoint");
    yield* mv(a.motor, next);
    yield msg("create", null, { kwargs: { name: "primary" } });
    for (const det of a.detectors) {
      // Detectors that need no trigger (plain signals) are only read.
      if (isTriggerable(det)) yield msg("trigger", det, { kwargs: { group: "B" } });
    }
    yield msg("wait", null, { kwargs: { group: "B" } });
    let current: number | undefined;
    for (const device of devices) {
      const reading = (yield msg("read", device)) as Readings;
      const value = reading[a.target_field]?.value;
      if (value !== undefined) current = value as number;
    }
    yield msg("save");
    if (typeof current !== "number") {
      throw new PlanValidationError(
        a.plan,
        "target_field",
        `a numeric data key of the detectors or motor (read: ${devices.map(names1).join(", ")})`,
        a.target_field,
      );
    }
    if (past === undefined) {
      past = current;
      next += step * direction;
      continue;
    }
    const slope = Math.abs(current - past) / step;
    const newStep = slope
      ? Math.min(Math.max(a.target_delta / slope, a.min_step), a.max_step)
      : Math.min(step * 1.1, a.max_step);
    if (a.backstep && newStep < step * a.threshold) {
      // Overshot the change we wanted: go back and redo this stretch with the shorter step.
      next -= step;
      step = newStep;
    } else {
      past = current;
      step = 0.2 * newStep + 0.8 * step;
    }
    next += step * direction;
  }
}

/**
 * Refuses a target_field that none of the devices describes, before the run opens (so no
 * half-written run). Devices without describe() are left to the check at the first point.
 */
function* checkTargetField(a: Adaptive, devices: readonly unknown[]): Plan<void> {
  const describable = devices.every(
    (d) => typeof (d as { describe?: unknown } | null)?.describe === "function",
  );
  if (!describable) return;
  const described = (yield* wait_for(
    devices.map((d) => () => (d as Readable).describe()),
  )) as DataKeys[];
  const keys = described.flatMap((k) => Object.keys(k));
  if (!keys.includes(a.target_field)) {
    throw new PlanValidationError(
      a.plan,
      "target_field",
      `a data key of the detectors or motor (they describe: ${keys.join(", ")})`,
      a.target_field,
    );
  }
}

function isTriggerable(device: unknown): boolean {
  return typeof (device as { trigger?: unknown } | null)?.trigger === "function";
}

function names1(device: unknown): string {
  return names([device])[0] ?? "?";
}

function adaptivePlan(a: Adaptive): Plan<string | undefined> {
  const plan = "adaptive_scan";
  const md: Metadata = {
    detectors: names(a.detectors),
    motors: names([a.motor]),
    plan_args: {
      detectors: reprs(a.detectors),
      motor: repr(a.motor),
      start: a.start,
      stop: a.stop,
      min_step: a.min_step,
      max_step: a.max_step,
      target_delta: a.target_delta,
      backstep: a.backstep,
      threshold: a.thresholdArg,
    },
    plan_name: plan,
    hints: {},
    ...a.md,
  };
  const hints = hintsOf(md);
  const fields = hintedFields(a.motor);
  if (fields !== undefined && !("dimensions" in hints)) hints["dimensions"] = [[fields, "primary"]];
  md["hints"] = hints;
  const devices = separate_devices([...a.detectors, a.motor]);
  function* checkedRun(): Plan<string | undefined> {
    yield* checkTargetField(a, devices);
    return yield* run_wrapper(adaptiveCore(a), { md });
  }
  return stage_wrapper(checkedRun(), [...a.detectors, a.motor]);
}

/** The positional parameters of adaptive_scan, as Python orders them. */
type AdaptiveArgs = [
  detectors: readonly unknown[],
  target_field: string,
  motor: unknown,
  start: number,
  stop: number,
  min_step: number,
  max_step: number,
  target_delta: number,
  backstep: boolean,
  thresholdOrOptions?: number | null | AdaptiveScanOptions,
  options?: AdaptiveScanOptions,
];

/**
 * Scans `motor` from start to stop with a step between min_step and max_step chosen so that
 * `target_field` changes by about target_delta per step; with `backstep`, a step that changed
 * it too much is redone shorter.
 * `adaptive_scan([det], "det", motor, -5, 5, 0.1, 1, 0.05, true)`.
 */
export function adaptive_scan(...args: AdaptiveArgs): Plan<string | undefined> {
  return adaptivePlan(parse("adaptive_scan", withoutTrailingUndefined(args)));
}

/** adaptive_scan relative to the motor's position; it returns there at the end. */
export function rel_adaptive_scan(...args: AdaptiveArgs): Plan<string | undefined> {
  const a = parse("rel_adaptive_scan", withoutTrailingUndefined(args));
  return relativePlan([a.motor], adaptivePlan({ ...a, md: relativeMd("rel_adaptive_scan", a.md) }));
}
