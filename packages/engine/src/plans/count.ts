// count: take readings from detectors, `num` times, `delay` seconds apart.
import { PlanArgumentError } from "../errors.ts";
import type { Metadata } from "../msg.ts";
import type { Plan, PlanLike } from "../plan.ts";
import { repeat } from "../plan-stubs/control.ts";
import { trigger_and_read } from "../plan-stubs/readings.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { stage_wrapper } from "../preprocessors/stage.ts";
import { nameOf, repr } from "../utils/repr.ts";

/** Options of count (Bluesky's keyword arguments). */
export interface CountOptions {
  /** Seconds between readings, or one delay per interval. */
  delay?: number | readonly number[] | null;
  /** Replaces the per-reading plan (default: checkpoint then trigger_and_read). */
  per_shot?: (detectors: readonly unknown[]) => PlanLike;
  md?: Metadata;
}

function* one_shot(detectors: readonly unknown[]): Plan<unknown> {
  yield { command: "checkpoint", obj: null, args: [], kwargs: {} };
  return yield* trigger_and_read(detectors);
}

/**
 * Reads `detectors` `num` times (forever when null), as Bluesky's count. Python's positional
 * form carries over: `count([det], 5)`, `count([det], 5, 0.1)` or `count([det], 5, { delay: 0.1 })`.
 * Returns the run's start uid.
 */
export function count(
  detectors: readonly unknown[],
  num: number | null = 1,
  delayOrOptions: number | readonly number[] | null | CountOptions = {},
  maybeOptions: CountOptions = {},
): Plan<string | undefined> {
  if (!Array.isArray(detectors)) {
    throw new PlanArgumentError(
      `count: detectors must be a list of devices; got ${repr(detectors)}`,
    );
  }
  // num 0 is allowed, as in Bluesky: an empty run (num_intervals -1).
  if (num !== null && (!Number.isInteger(num) || num < 0)) {
    throw new PlanArgumentError(
      `count: num must be a whole number >= 0 (or null for forever); got ${repr(num)}`,
    );
  }
  const options: CountOptions =
    typeof delayOrOptions === "number" || Array.isArray(delayOrOptions) || delayOrOptions === null
      ? { ...maybeOptions, delay: delayOrOptions as number | readonly number[] | null }
      : (delayOrOptions as CountOptions);
  const delay = options.delay ?? 0;
  // plan_args records delay as given (null stays null), as Bluesky does; only omitted is 0.
  const givenDelay = options.delay === undefined ? 0 : options.delay;
  const userMd = options.md ?? {};
  const md: Metadata = {
    detectors: detectors.map(nameOf),
    num_points: num,
    num_intervals: num === null ? null : num - 1,
    plan_args: { detectors: detectors.map(repr), num, delay: givenDelay },
    plan_name: "count",
    hints: {},
    ...userMd,
  };
  const hints = { ...((md["hints"] as Record<string, unknown> | undefined) ?? {}) };
  if (!("dimensions" in hints)) hints["dimensions"] = [[["time"], "primary"]];
  md["hints"] = hints;
  const perShot = options.per_shot ?? one_shot;
  const body = repeat(() => perShot(detectors), num, delay);
  return stage_wrapper(run_wrapper(body, { md }), detectors);
}
