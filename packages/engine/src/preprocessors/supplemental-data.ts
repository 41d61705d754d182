// SupplementalData: a RunEngine preprocessor adding baseline readings, monitors and flyers to
// every run of every plan, with lists the user edits between plans.
import type { Plan, PlanLike, Preprocessor } from "../plan.ts";
import { baseline_wrapper } from "./baseline.ts";
import { fly_during_wrapper, monitor_during_wrapper } from "./during.ts";

/** The devices SupplementalData adds to runs. */
export interface SupplementalDataOptions {
  /** Read at the start and end of each run (stream "baseline"). */
  baseline?: readonly unknown[];
  /** Monitored during each run. */
  monitors?: readonly unknown[];
  /** Kicked off at the start of each run and collected at its end. */
  flyers?: readonly unknown[];
}

/**
 * Bluesky's SupplementalData. Add it with `RE.preprocessors.push(sd)` (the engine calls its
 * `wrap`) or `RE.preprocessors.push(sd.preprocessor)`; then each run takes baseline readings,
 * starts monitors, kicks off flyers, runs, completes and collects the flyers, stops the monitors
 * and takes baseline readings again.
 * @example const sd = new SupplementalData({ baseline: [motor1, motor2] }); sd.baseline.push(det)
 */
export class SupplementalData {
  baseline: unknown[];
  monitors: unknown[];
  flyers: unknown[];

  constructor(options: SupplementalDataOptions = {}) {
    this.baseline = [...(options.baseline ?? [])];
    this.monitors = [...(options.monitors ?? [])];
    this.flyers = [...(options.flyers ?? [])];
  }

  /** Wraps one plan (the lists are read now, so later edits affect only later plans). */
  wrap<T>(plan: PlanLike<T>): Plan<T | undefined> {
    const flown = fly_during_wrapper(plan, [...this.flyers]);
    const monitored = monitor_during_wrapper(flown, [...this.monitors]);
    return baseline_wrapper(monitored, [...this.baseline]) as Plan<T | undefined>;
  }

  /** This object as a RunEngine preprocessor. */
  readonly preprocessor: Preprocessor = (plan) => this.wrap(plan);

  toString(): string {
    const list = (xs: unknown[]) =>
      `[${xs.map((x) => (x as { name?: string }).name ?? String(x)).join(", ")}]`;
    return `SupplementalData(baseline=${list(this.baseline)}, monitors=${list(this.monitors)}, flyers=${list(this.flyers)})`;
  }
}
