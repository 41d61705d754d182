// tune_centroid: repeated passes over a shrinking range centred on the signal's centroid, then
// a move to the final centroid.
import type { Readings } from "@cerulean/devices/protocols";
import { type Metadata, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { mv } from "../plan-stubs/motion.ts";
import { trigger_and_read } from "../plan-stubs/readings.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { stage_wrapper } from "../preprocessors/stage.ts";
import { repr } from "../utils/repr.ts";
import {
  checkCount,
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

/** Keyword arguments of tune_centroid (the optional positional ones may come here too). */
export interface TuneCentroidOptions extends MdOption {
  /** Points per pass (default 10). */
  num?: number;
  /** Each pass covers the previous range divided by this (default 3, must be > 1). */
  step_factor?: number;
  /** Alternate the direction of the passes (default false). */
  snake?: boolean;
}

const clip = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/**
 * Tunes `motor` to the centroid of `signal`: scans start→stop in `num` points, then rescans
 * a range `step_factor` times smaller centred on the centroid Σx·I/ΣI, until the step is
 * below `min_step`; finally moves to the last centroid. The signal should have one peak there.
 * `tune_centroid([det], "det", motor, -1.5, 2, 0.01, 10)`.
 */
export function tune_centroid(
  detectors: readonly unknown[],
  signal: string,
  motor: unknown,
  start: number,
  stop: number,
  min_step: number,
  ...rest:
    | [options?: TuneCentroidOptions]
    | [num: number, options?: TuneCentroidOptions]
    | [num: number, step_factor: number, options?: TuneCentroidOptions]
    | [num: number, step_factor: number, snake: boolean, options?: TuneCentroidOptions]
): Plan<string | undefined> {
  const plan = "tune_centroid";
  const [positional, options] = splitOptions<TuneCentroidOptions>(withoutTrailingUndefined(rest));
  checkOptionKeys(plan, options, ["num", "step_factor", "snake", "md"]);
  const num = checkCount(plan, "num", positional[0] ?? options.num ?? 10, 2);
  const stepFactor = checkNumber(plan, "step_factor", positional[1] ?? options.step_factor ?? 3);
  const snake = positional[2] ?? options.snake ?? false;
  checkDetectors(plan, detectors);
  if (typeof signal !== "string" || signal === "") {
    throw new PlanValidationError(plan, "signal", "the name of a data key", signal);
  }
  checkMovable(plan, "motor", motor);
  checkNumber(plan, "start", start);
  checkNumber(plan, "stop", stop);
  if (checkNumber(plan, "min_step", min_step) <= 0) {
    throw new PlanValidationError(plan, "min_step", "a number > 0", min_step);
  }
  if (stepFactor <= 1) {
    throw new PlanValidationError(plan, "step_factor", "a number > 1", stepFactor);
  }
  if (typeof snake !== "boolean") {
    throw new PlanValidationError(plan, "snake", "true or false", snake);
  }
  const hinted = hintedFields(motor);
  const motorField = hinted?.length === 1 ? (hinted[0] as string) : (names([motor])[0] as string);
  const md: Metadata = {
    detectors: names(detectors),
    motors: names([motor]),
    plan_args: {
      detectors: reprs(detectors),
      motor: repr(motor),
      start,
      stop,
      num,
      min_step,
    },
    plan_name: plan,
    hints: {},
    ...checkMd(plan, options.md),
  };
  const hints = hintsOf(md);
  if (hinted !== undefined && !("dimensions" in hints)) hints["dimensions"] = [[hinted, "primary"]];
  md["hints"] = hints;
  const low = Math.min(start, stop);
  const high = Math.max(start, stop);

  function* tune(): Plan<void> {
    let from = start;
    let to = stop;
    let next = from;
    let step = (to - from) / (num - 1);
    let peak: number | undefined;
    let sumI = 0;
    let sumXI = 0;
    while (Math.abs(step) >= min_step && low <= next && next <= high) {
      yield msg("checkpoint");
      yield* mv(motor, next);
      const readings = (yield* trigger_and_read([...detectors, motor])) as Readings;
      const intensity = readings[signal]?.value;
      const position = readings[motorField]?.value;
      if (typeof intensity !== "number") {
        throw new PlanValidationError(
          plan,
          "signal",
          `a numeric data key of the detectors (they read ${Object.keys(readings).join(", ")})`,
          signal,
        );
      }
      sumI += intensity;
      sumXI += (position as number) * intensity;
      next += step;
      if (next < Math.min(from, to) || next > Math.max(from, to)) {
        // Pass over: recentre a smaller range on the centroid.
        if (sumI === 0) return;
        peak = sumXI / sumI;
        sumI = 0;
        sumXI = 0;
        const range = (to - from) / stepFactor;
        from = clip(peak - range / 2, low, high);
        to = clip(peak + range / 2, low, high);
        if (snake) [from, to] = [to, from];
        step = (to - from) / (num - 1);
        next = from;
      }
    }
    if (peak !== undefined) yield* mv(motor, peak);
  }
  return stage_wrapper(run_wrapper(tune(), { md }), [...detectors, motor]);
}
