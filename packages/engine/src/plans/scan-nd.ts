// scan_nd: the general step scan over any trajectory (a Cycler); the other step scans build
// their trajectory and metadata, then call it.
import type { Metadata } from "../msg.ts";
import { ensureGenerator, type Plan } from "../plan.ts";
import type { PositionCache } from "../plan-stubs/per-step.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { stage_wrapper } from "../preprocessors/stage.ts";
import { repr } from "../utils/repr.ts";
import {
  checkDetectors,
  checkMd,
  checkMovable,
  checkOptionKeys,
  dimensionsPerMotor,
  hintsOf,
  type MdOption,
  names,
  reprs,
} from "./args.ts";
import { Cycler } from "./cycler.ts";
import { PlanValidationError } from "./errors.ts";
import { type PerStep, resolvePerStep } from "./per-step.ts";

/** Keyword arguments of the step scans. */
export interface PerStepOptions extends MdOption {
  /** The inner loop (default one_nd_step): `(detectors, step, pos_cache)`, or 1-D form. */
  per_step?: PerStep | null;
}

/**
 * Scans `detectors` over the steps of `cycler` (each step moves the motors that change, then
 * reads detectors and motors into one event). Returns the run's start uid.
 * @example scan_nd([det4], cycler(motor1, [1, 2]).mul(cycler(motor2, [3, 4])))
 */
export function scan_nd(
  detectors: readonly unknown[],
  cycler: Cycler,
  options: PerStepOptions = {},
): Plan<string | undefined> {
  checkDetectors("scan_nd", detectors);
  if (!(cycler instanceof Cycler)) {
    throw new PlanValidationError("scan_nd", "cycler", "a Cycler (see cycler())", cycler);
  }
  checkOptionKeys("scan_nd", options, ["per_step", "md"]);
  const motors = cycler.keys;
  motors.forEach((m, i) => {
    checkMovable("scan_nd", `cycler key ${i + 1}`, m);
  });
  const perStep = resolvePerStep("scan_nd", options.per_step, motors);
  const md: Metadata = {
    detectors: names(detectors),
    motors: names(motors),
    num_points: cycler.length,
    num_intervals: cycler.length - 1,
    plan_args: {
      detectors: reprs(detectors),
      cycler: String(cycler),
      per_step: repr(options.per_step),
    },
    plan_name: "scan_nd",
    hints: {},
    ...checkMd("scan_nd", options.md),
  };
  const hints = hintsOf(md);
  const dimensions = dimensionsPerMotor(motors);
  if (dimensions !== undefined && !("dimensions" in hints)) hints["dimensions"] = dimensions;
  md["hints"] = hints;
  const posCache: PositionCache = new Map();
  function* steps(): Plan<void> {
    for (const step of cycler) yield* ensureGenerator(perStep(detectors, step, posCache));
  }
  return stage_wrapper(run_wrapper(steps(), { md }), [...detectors, ...motors]);
}
