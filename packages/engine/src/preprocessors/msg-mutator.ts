// msg_mutator and pchain: the simplest plan rewriters.
import { isControlException } from "../errors.ts";
import type { Msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";

/**
 * Runs `plan` with each message replaced by `msg_proc(msg)`; a null/undefined result drops the
 * message (the plan then receives undefined). To insert messages, use plan_mutator.
 */
export function* msg_mutator<T>(
  plan: PlanLike<T>,
  msg_proc: (msg: Msg) => Msg | null | undefined,
): Plan<T | undefined> {
  const gen = ensureGenerator(plan);
  let thrown: { err: unknown } | undefined;
  let response: unknown;
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<Msg, T | undefined>;
      try {
        if (thrown) {
          const { err } = thrown;
          thrown = undefined;
          step = gen.throw(err);
        } else {
          step = gen.next(response);
        }
      } catch (err) {
        finished = true;
        throw err;
      }
      if (step.done) {
        finished = true;
        return step.value;
      }
      const out = msg_proc(step.value);
      response = undefined;
      if (out === null || out === undefined) continue;
      try {
        response = yield out;
      } catch (err) {
        thrown = { err };
      }
    }
  } finally {
    if (!finished) gen.return(undefined);
  }
}

/** Runs plans one after the other; returns their return values (Bluesky's pchain). */
export function* pchain(...plans: PlanLike[]): Plan<unknown[]> {
  const gens = plans.map((p) => ensureGenerator(p));
  const results: unknown[] = [];
  try {
    for (const gen of gens) results.push(yield* gen);
  } catch (err) {
    // Stopped or aborted: close the plans not yet run, so their cleanup code runs.
    if (isControlException(err)) for (const gen of gens) gen.return(undefined);
    throw err;
  }
  return results;
}
