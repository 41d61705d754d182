// ramp_plan: take data repeatedly while something ramps (a temperature, a motor on its way).
import type { Status } from "@cerulean/devices/protocols";
import { type Metadata, msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { monitor_during_wrapper } from "../preprocessors/during.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { checkMd, checkOptionKeys, isOptions } from "./args.ts";
import { PlanValidationError, RampFail } from "./errors.ts";

/** Keyword arguments of ramp_plan (each may also be given positionally, in this order). */
export interface RampPlanOptions {
  /** Take a point before starting the ramp (default true). */
  take_pre_data?: boolean;
  /** Seconds the ramp may take before the plan fails with RampFail (default: no limit). */
  timeout?: number | null;
  /** Take points no faster than one per `period` seconds (default: as fast as possible). */
  period?: number | null;
  md?: Metadata | null;
}

const KEYS = ["take_pre_data", "timeout", "period", "md"] as const;

function checkSeconds(name: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  // 0 is allowed, as in Bluesky: period 0 is as fast as possible; timeout 0 fails after the
  // first point taken while ramping.
  if (typeof value !== "number" || !(value >= 0)) {
    throw new PlanValidationError("ramp_plan", name, "a number of seconds >= 0 (or null)", value);
  }
  return value;
}

/**
 * Monitors `monitor_sig` during a run in which `go_plan` starts the ramp (returning its
 * Status) and `inner_plan_func()` takes a point, again and again until the ramp is done, then
 * once more. `ramp_plan(startRamp(), temperature, () => trigger_and_read([det]), { period: 1 })`.
 */
export function ramp_plan(
  go_plan: PlanLike<Status> | (() => PlanLike<Status>),
  monitor_sig: unknown,
  inner_plan_func: () => PlanLike,
  ...rest: unknown[]
): Plan<string | undefined> {
  const plan = "ramp_plan";
  // Python's positional order is take_pre_data, timeout, period, md; an options object may
  // stand in for the remaining ones (md itself, 4th, is always an object).
  const options: RampPlanOptions = {};
  rest.forEach((value, i) => {
    if (i === rest.length - 1 && i < 3 && isOptions(value)) {
      Object.assign(options, value);
    } else if (i < KEYS.length) {
      if (value !== undefined) (options as Record<string, unknown>)[KEYS[i] as string] = value;
    } else {
      throw new PlanValidationError(
        plan,
        "its arguments",
        "at most (go_plan, monitor_sig, inner_plan_func, take_pre_data, timeout, period, md)",
        `${3 + rest.length} arguments`,
      );
    }
  });
  checkOptionKeys(plan, options, [...KEYS]);
  if (typeof go_plan !== "function" && typeof (go_plan as Plan)?.[Symbol.iterator] !== "function") {
    throw new PlanValidationError(plan, "go_plan", "a plan returning the ramp's Status", go_plan);
  }
  if (typeof (monitor_sig as { name?: unknown } | null)?.name !== "string") {
    throw new PlanValidationError(plan, "monitor_sig", "a named signal to monitor", monitor_sig);
  }
  if (typeof inner_plan_func !== "function") {
    throw new PlanValidationError(
      plan,
      "inner_plan_func",
      "a function returning a plan",
      inner_plan_func,
    );
  }
  const takePreData = options.take_pre_data ?? true;
  const timeout = checkSeconds("timeout", options.timeout);
  const period = checkSeconds("period", options.period);
  const md: Metadata = { plan_name: plan, ...checkMd(plan, options.md) };

  function* point(): Plan<number> {
    let messages = 0;
    const inner = ensureGenerator(inner_plan_func());
    let response: unknown;
    for (let step = inner.next(); !step.done; step = inner.next(response)) {
      messages++;
      response = yield step.value;
    }
    return messages;
  }
  function* polling(): Plan<void> {
    const failAt = timeout === null ? null : Date.now() + timeout * 1000;
    if (takePreData) yield* point();
    const go = typeof go_plan === "function" ? go_plan() : go_plan;
    const status = (yield* ensureGenerator(go)) as Status | undefined;
    if (typeof status?.done !== "boolean") {
      throw new PlanValidationError(plan, "go_plan", "a plan returning a Status", status);
    }
    while (!status.done) {
      const started = Date.now();
      const messages = yield* point();
      // >= so that timeout 0 fails on the first ramp point even within the same millisecond.
      if (failAt !== null && Date.now() >= failAt) {
        throw new RampFail(`ramp_plan: the ramp did not finish within ${timeout} s`);
      }
      const left = period === null ? 0 : started + period * 1000 - Date.now();
      // A point of no messages would never let the ramp's Status finish: give it time.
      if (left > 0 || messages === 0) {
        yield msg("sleep", null, { args: [Math.max(left / 1000, 0.01)] });
      }
    }
    yield* point();
  }
  return monitor_during_wrapper(run_wrapper(polling(), { md }), [monitor_sig]);
}
