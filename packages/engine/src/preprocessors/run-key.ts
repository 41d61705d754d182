// Stamps a run key on every message of a plan, so that several runs can be open at once.
import type { Msg, RunKey } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";

/** Runs `plan` with `run` set on each of its messages (Bluesky's set_run_key_wrapper). */
export function* set_run_key_wrapper<T>(plan: PlanLike<T>, run: RunKey): Plan<T | undefined> {
  const gen = ensureGenerator(plan);
  let response: unknown;
  let error: { err: unknown } | undefined;
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<Msg, T | undefined>;
      if (error) {
        const { err } = error;
        error = undefined;
        step = gen.throw(err);
      } else {
        step = gen.next(response);
      }
      if (step.done) {
        finished = true;
        return step.value;
      }
      try {
        response = yield { ...step.value, run };
      } catch (err) {
        error = { err };
      }
    }
  } finally {
    // Closed from outside (a halt): close the wrapped plan too, so its finally blocks run.
    if (!finished) gen.return(undefined);
  }
}
