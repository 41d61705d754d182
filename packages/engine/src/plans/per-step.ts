// Choosing the inner loop of a scan: per_step may take (detectors, step, pos_cache), as
// one_nd_step, or (detectors, motor, step), as one_1d_step, for one-motor trajectories.
import type { PlanLike } from "../plan.ts";
import {
  one_1d_step,
  one_nd_step,
  type PositionCache,
  type StepPositions,
} from "../plan-stubs/per-step.ts";
import { PlanValidationError } from "./errors.ts";

/** An N-D inner loop: `(detectors, step, pos_cache)`, step mapping each motor to its position. */
export type PerStepND = (
  detectors: readonly unknown[],
  step: StepPositions,
  pos_cache: PositionCache,
) => PlanLike;

/** A 1-D inner loop: `(detectors, motor, step)`, step being the motor's position. */
export type PerStep1D = (detectors: readonly unknown[], motor: never, step: never) => PlanLike;

/**
 * The type of the per_step option: the N-D form. A 1-D function whose motor and step
 * parameters are typed `unknown` fits it as is; otherwise wrap it in per_step_1d.
 */
export type PerStep = PerStepND;

/** The names of a function's parameters, as far as its source text tells. */
function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const bare = /^\s*(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (bare?.[1]) return [bare[1]];
  const list = /^[^(]*\(([^)]*)\)/.exec(source)?.[1] ?? "";
  return list
    .split(",")
    .map((p) => /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p)?.[1] ?? "")
    .filter((p) => p !== "");
}

const marked1D = new WeakSet<object>();

/** Marks `fn` as a 1-D inner loop `(detectors, motor, step)`, whatever its parameters are named. */
export function per_step_1d(fn: PerStep1D): PerStep {
  marked1D.add(fn);
  return fn as unknown as PerStep;
}

/**
 * True for a 1-D inner loop: one_1d_step, a function marked with per_step_1d, or one whose
 * second parameter is named `motor` (Bluesky tells the signatures apart by parameter names;
 * compilers may rename a shadowing `motor` to `motor2`, which is accepted too).
 */
export function isOneDimensional(per_step: PerStep): boolean {
  if (per_step === (one_1d_step as unknown) || marked1D.has(per_step)) return true;
  if (per_step === (one_nd_step as unknown)) return false;
  return /^_?motor\d*$/.test(parameterNames(per_step)[1] ?? "");
}

/** The N-D inner loop to run: per_step itself, adapted when 1-D, or one_nd_step. */
export function resolvePerStep(
  plan: string,
  per_step: PerStep | null | undefined,
  motors: readonly unknown[],
): PerStepND {
  if (per_step === undefined || per_step === null) return one_nd_step;
  if (typeof per_step !== "function") {
    throw new PlanValidationError(
      plan,
      "per_step",
      "a function (detectors, step, pos_cache) or (detectors, motor, step)",
      per_step,
    );
  }
  if (!isOneDimensional(per_step)) return per_step as PerStepND;
  const [motor] = motors;
  if (motors.length !== 1) {
    throw new PlanValidationError(
      plan,
      "per_step",
      `a function (detectors, step, pos_cache) for a trajectory of ${motors.length} motors (a (detectors, motor, step) function suits one motor only)`,
      per_step,
    );
  }
  const oneD = per_step as unknown as (
    detectors: readonly unknown[],
    motor: unknown,
    step: unknown,
  ) => PlanLike;
  return (detectors, step) => oneD(detectors, motor, step.get(motor));
}
