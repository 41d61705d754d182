// log_scan and rel_log_scan: one motor through `num` log-spaced positions, 10^start to 10^stop.
import type { Metadata } from "../msg.ts";
import { ensureGenerator, type Plan } from "../plan.ts";
import { one_1d_step } from "../plan-stubs/per-step.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { stage_wrapper } from "../preprocessors/stage.ts";
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
  type MdOption,
  names,
  reprs,
} from "./args.ts";
import { logspace } from "./plan-patterns.ts";
import { relativeMd, relativePlan } from "./relative-plan.ts";

/** Keyword arguments of log_scan: a 1-D inner loop `(detectors, motor, step)`. */
export interface LogScanOptions extends MdOption {
  per_step?:
    | ((detectors: readonly unknown[], motor: unknown, step: number) => Iterable<unknown>)
    | null;
}

function check(
  plan: string,
  detectors: readonly unknown[],
  motor: unknown,
  start: number,
  stop: number,
  num: number,
  options: LogScanOptions,
): void {
  checkDetectors(plan, detectors);
  checkMovable(plan, "motor", motor);
  checkNumber(plan, "start", start);
  checkNumber(plan, "stop", stop);
  checkCount(plan, "num", num);
  checkOptionKeys(plan, options, ["per_step", "md"]);
  checkFunction(plan, "per_step", options.per_step);
}

/**
 * Moves `motor` through `num` positions evenly spaced in log, from 10^start to 10^stop
 * (numpy's logspace), reading the detectors at each: `log_scan([det], motor, 0, 2, 5)` visits
 * 1, 3.16, 10, 31.6, 100.
 */
export function log_scan(
  detectors: readonly unknown[],
  motor: unknown,
  start: number,
  stop: number,
  num: number,
  options: LogScanOptions = {},
): Plan<string | undefined> {
  const plan = "log_scan";
  check(plan, detectors, motor, start, stop, num, options);
  const md: Metadata = {
    detectors: names(detectors),
    motors: names([motor]),
    num_points: num,
    num_intervals: num - 1,
    plan_args: {
      detectors: reprs(detectors),
      num,
      start,
      stop,
      motor: repr(motor),
      per_step: repr(options.per_step),
    },
    plan_name: plan,
    plan_pattern: "logspace",
    plan_pattern_module: "numpy",
    plan_pattern_args: { start, stop, num },
    hints: {},
    ...checkMd(plan, options.md),
  };
  const hints = hintsOf(md);
  const fields = hintedFields(motor);
  if (fields !== undefined && !("dimensions" in hints)) {
    hints["dimensions"] = [[fields, "primary"]];
  }
  md["hints"] = hints;
  const perStep = options.per_step ?? one_1d_step;
  function* steps(): Plan<void> {
    for (const step of logspace(start, stop, num)) {
      yield* ensureGenerator(perStep(detectors, motor, step) as Plan<unknown>);
    }
  }
  return stage_wrapper(run_wrapper(steps(), { md }), [...detectors, motor]);
}

/** log_scan relative to the motor's position; it returns there at the end. */
export function rel_log_scan(
  detectors: readonly unknown[],
  motor: unknown,
  start: number,
  stop: number,
  num: number,
  options: LogScanOptions = {},
): Plan<string | undefined> {
  check("rel_log_scan", detectors, motor, start, stop, num, options);
  return relativePlan(
    [motor],
    log_scan(detectors, motor, start, stop, num, {
      ...options,
      md: relativeMd("rel_log_scan", options.md),
    }),
  );
}
