// Plan stubs that repeat or drive other stubs: caching_repeater, collect_while_completing.
import type { Group, Msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { shortUid } from "../utils/short-uid.ts";
import { wait } from "./control.ts";
import { collect, complete_all } from "./fly.ts";

/**
 * Yields the messages of `plan` `n` times (forever when null). Unlike repeater it takes one
 * plan, whose messages are recorded on the first pass (responses are not sent back to it).
 */
export function* caching_repeater(n: number | null, plan: PlanLike): Plan<void> {
  const recorded: Msg[] = [];
  const gen = ensureGenerator(plan);
  for (let step = gen.next(); !step.done; step = gen.next()) recorded.push(step.value);
  for (let i = 0; n === null || i < n; i++) for (const m of recorded) yield m;
}

/** Options of collect_while_completing. */
export interface CollectWhileCompletingOptions {
  /** Seconds between collects while the flyers run (default: collect only when all are done). */
  flush_period?: number | null;
  /** Stream to collect into. */
  stream_name?: string | null;
  /** Other groups whose failure also ends the wait. */
  watch?: readonly Group[];
}

/**
 * Completes the flyers, then collects the detectors every `flush_period` seconds until the
 * flyers are done (and once more then).
 */
export function* collect_while_completing(
  flyers: readonly unknown[],
  dets: readonly unknown[],
  options: CollectWhileCompletingOptions = {},
): Plan<void> {
  const group = shortUid("complete");
  yield* complete_all(flyers, { group, wait: false });
  const waitOptions = {
    error_on_timeout: false,
    watch: options.watch ?? [],
    ...(options.flush_period === undefined || options.flush_period === null
      ? {}
      : { timeout: options.flush_period }),
  };
  const collectOptions = options.stream_name ? { name: options.stream_name } : {};
  for (let done = false; !done; ) {
    done = yield* wait(group, waitOptions);
    if (dets.length > 0) yield* collect(...dets, collectOptions);
  }
}
