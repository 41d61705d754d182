// Plan stubs for flow control: null, sleep, wait, wait_for, checkpoint, clear_checkpoint, pause,
// deferred_pause, input_plan, subscribe, unsubscribe, install/remove_suspender, repeat, repeater,
// broadcast_msg.
import type { DocumentCallback } from "@cerulean/event-model";
import { PlanArgumentError } from "../errors.ts";
import { type Group, type Msg, msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import type { SubscriptionName } from "../run-engine/dispatcher.ts";

/** Does nothing (a message round trip). */
function* null_(): Plan<void> {
  yield msg("null");
}

export { null_ as null };

/** Waits `seconds` without blocking other work. */
export function* sleep(seconds: number): Plan<void> {
  yield msg("sleep", null, { args: [seconds] });
}

/** Options of wait. */
export interface WaitStubOptions {
  timeout?: number | undefined;
  error_on_timeout?: boolean;
  watch?: readonly Group[];
}

/** Waits for every status of `group`; returns false when it timed out without error. */
export function* wait(group?: Group, options: WaitStubOptions = {}): Plan<boolean> {
  const kwargs: Record<string, unknown> = {};
  if (group !== undefined) kwargs["group"] = group;
  if (options.timeout !== undefined) kwargs["timeout"] = options.timeout;
  if (options.error_on_timeout !== undefined) kwargs["error_on_timeout"] = options.error_on_timeout;
  if (options.watch !== undefined) kwargs["watch"] = options.watch;
  return (yield msg("wait", null, { kwargs })) as boolean;
}

/** Waits for promises (or functions returning them); returns their values. */
export function* wait_for(
  futures: readonly (PromiseLike<unknown> | (() => PromiseLike<unknown>))[],
  options: { timeout?: number } = {},
): Plan<unknown[]> {
  return (yield msg("wait_for", null, { args: [futures], kwargs: options })) as unknown[];
}

/** Marks a point the plan can be resumed from after a pause. */
export function* checkpoint(): Plan<void> {
  yield msg("checkpoint");
}

/** Makes the plan non-resumable until the next checkpoint (a pause then aborts). */
export function* clear_checkpoint(): Plan<void> {
  yield msg("clear_checkpoint");
}

/** Pauses at once (the plan resumes from its last checkpoint). */
export function* pause(): Plan<void> {
  yield msg("pause", null, { kwargs: { defer: false } });
}

/** Pauses at the next checkpoint. */
export function* deferred_pause(): Plan<void> {
  yield msg("pause", null, { kwargs: { defer: true } });
}

/** Asks the user for a line of text. */
export function* input_plan(prompt = ""): Plan<string> {
  return (yield msg("input", null, { kwargs: { prompt } })) as string;
}

/** Subscribes a callback for the rest of the call; returns the token. */
export function* subscribe(name: SubscriptionName, func: DocumentCallback): Plan<number> {
  return (yield msg("subscribe", null, { args: [func, name] })) as number;
}

/** Removes a subscription made by `subscribe`. */
export function* unsubscribe(token: number): Plan<void> {
  yield msg("unsubscribe", null, { kwargs: { token } });
}

/** Installs a suspender. */
export function* install_suspender(suspender: unknown): Plan<void> {
  yield msg("install_suspender", null, { args: [suspender] });
}

/** Removes a suspender. */
export function* remove_suspender(suspender: unknown): Plan<void> {
  yield msg("remove_suspender", null, { args: [suspender] });
}

/** The same message for each object: `broadcast_msg("stage", [a, b])`. */
export function* broadcast_msg(
  command: string,
  objs: Iterable<unknown>,
  ...args: unknown[]
): Plan<unknown[]> {
  const results: unknown[] = [];
  for (const obj of objs) results.push(yield msg(command, obj, { args }));
  return results;
}

/** Runs `makePlan()` `n` times (forever when n is null). */
export function* repeater(n: number | null, makePlan: () => PlanLike): Plan<void> {
  for (let i = 0; n === null || i < n; i++) yield* ensureGenerator(makePlan());
}

/**
 * Runs `makePlan()` `num` times (forever when null), with a checkpoint before each, sleeping so
 * that iterations start `delay` seconds apart (a number, or one delay per interval).
 */
export function* repeat(
  makePlan: () => PlanLike,
  num: number | null = 1,
  delay: number | readonly number[] | null = 0,
): Plan<unknown> {
  if (Array.isArray(delay) && num !== null && delay.length < num - 1) {
    throw new PlanArgumentError(
      `repeat: num=${num} needs at least ${num - 1} delays; got ${delay.length}`,
    );
  }
  let result: unknown;
  for (let i = 0; num === null || i < num; i++) {
    const start = Date.now();
    yield msg("checkpoint");
    result = yield* ensureGenerator(makePlan());
    if (num !== null && i + 1 >= num) break;
    const d = Array.isArray(delay) ? delay[i] : (delay as number | null);
    if (d === undefined) break;
    if (d !== null && d > 0) {
      const left = d - (Date.now() - start) / 1000;
      if (left > 0) yield msg("sleep", null, { args: [left] });
    }
  }
  return result;
}

/** A plan yielding the given messages (Bluesky accepts plain lists as plans). */
export function* messages(list: Iterable<Msg>): Plan<void> {
  for (const m of list) yield m;
}
