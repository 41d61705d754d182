// baseline_wrapper: a "baseline" stream read right after each run opens and again just before
// it closes (Bluesky's supplemental baseline readings).
import type { Msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { trigger_and_read } from "../plan-stubs/readings.ts";
import { declare_stream } from "../plan-stubs/run.ts";
import { make_decorator } from "./make-decorator.ts";
import { type MutatorResult, plan_mutator } from "./plan-mutator.ts";
import { set_run_key_wrapper } from "./run-key.ts";

function inRun<T>(plan: Plan<T>, m: Msg): Plan<T | undefined> {
  return m.run === undefined ? plan : set_run_key_wrapper(plan, m.run);
}

/**
 * Runs `plan` with a reading of `devices` into stream `name` (default "baseline") after every
 * open_run and before every close_run. No devices (or null): the plan runs unchanged.
 */
export function* baseline_wrapper<T>(
  plan: PlanLike<T>,
  devices: readonly unknown[] | null | undefined,
  name = "baseline",
): Plan<T | undefined> {
  // No list at all (Python's None) also passes the plan through, as in Bluesky.
  if (devices === null || devices === undefined || devices.length === 0) {
    return yield* ensureGenerator(plan);
  }
  const read = devices;
  function* start(): Plan<void> {
    yield* declare_stream(...read, { name });
    yield* trigger_and_read(read, name);
  }
  function* end(close: Msg): Plan<unknown> {
    yield* inRun(trigger_and_read(read, name), close);
    return yield close;
  }
  return (yield* plan_mutator(plan, (m): MutatorResult => {
    if (m.command === "open_run") return [null, inRun(start(), m)];
    if (m.command === "close_run") return [end(m), null];
    return null;
  })) as T | undefined;
}

/** Decorator form of baseline_wrapper. */
export const baseline_decorator = make_decorator(baseline_wrapper);
