// subs_wrapper and suspend_wrapper: subscriptions and suspenders that last for one plan.
import { msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { type CallSubscriptions, normalizeSubs } from "../run-engine/run-engine-options.ts";
import { finalize_wrapper } from "./finalize.ts";
import { make_decorator } from "./make-decorator.ts";

/**
 * Subscribes `subs` (a callback, a list of them, or `{name: callback(s)}`) before `plan` and
 * unsubscribes them after it, whatever happens.
 */
export function* subs_wrapper<T>(plan: PlanLike<T>, subs: CallSubscriptions): Plan<T | undefined> {
  const tokens: number[] = [];
  function* inner(): Plan<T | undefined> {
    for (const [name, callback] of normalizeSubs(subs)) {
      tokens.push((yield msg("subscribe", null, { args: [callback, name] })) as number);
    }
    return yield* ensureGenerator(plan);
  }
  function* unsubscribe(): Plan<void> {
    for (const token of tokens) yield msg("unsubscribe", null, { kwargs: { token } });
  }
  return (yield* finalize_wrapper(inner(), unsubscribe)) as T | undefined;
}

/** Installs suspenders before `plan` and removes them after it, whatever happens. */
export function* suspend_wrapper<T>(
  plan: PlanLike<T>,
  suspenders: unknown | readonly unknown[],
): Plan<T | undefined> {
  const list = Array.isArray(suspenders) ? [...suspenders] : [suspenders];
  function* inner(): Plan<T | undefined> {
    for (const s of list) yield msg("install_suspender", null, { args: [s] });
    return yield* ensureGenerator(plan);
  }
  function* remove(): Plan<void> {
    for (const s of list) yield msg("remove_suspender", null, { args: [s] });
  }
  return (yield* finalize_wrapper(inner(), remove)) as T | undefined;
}

/** Decorator form of subs_wrapper. */
export const subs_decorator = make_decorator(subs_wrapper);
/** Decorator form of suspend_wrapper. */
export const suspend_decorator = make_decorator(suspend_wrapper);
