// Wraps a plan in a run: open_run before, close_run after with the right exit status.
import {
  describeCause,
  FailedPause,
  IllegalMessageSequence,
  PlanHalt,
  RequestAbort,
  RequestStop,
} from "../errors.ts";
import type { Metadata } from "../msg.ts";
import type { Plan, PlanLike } from "../plan.ts";
import { close_run, open_run } from "../plan-stubs/run.ts";
import { contingency_wrapper } from "./finalize.ts";

/**
 * Opens a run, runs `plan`, closes the run: 'success' when it returns (or is stopped), 'abort'
 * (with the abort reason) when aborted, 'fail' with the error's message when it throws.
 * Returns the run's start uid.
 */
export function* run_wrapper(plan: PlanLike, options: { md?: Metadata } = {}): Plan<string> {
  const uid = yield* open_run(options.md ?? {});
  yield* contingency_wrapper(plan, {
    except_plan: (err) => closeQuietly(err),
    else_plan: () => close_run(),
  });
  return uid;
}

/** close_run with the exit status `err` means; a run already closed (its stop sent) is left be. */
function* closeQuietly(err: unknown): Plan<void> {
  const [status, reason] =
    err instanceof RequestStop
      ? (["success", null] as const)
      : err instanceof RequestAbort
        ? (["abort", err.reason] as const)
        : err instanceof FailedPause || err instanceof PlanHalt
          ? (["abort", err.message] as const)
          : (["fail", describeCause(err)] as const);
  try {
    yield* close_run(status, reason);
  } catch (closeErr) {
    // The error being handled is the one to report (e.g. a subscriber failing on the stop).
    if (!(closeErr instanceof IllegalMessageSequence)) throw closeErr;
  }
}

/** A plan function wrapped so that each call runs in its own run (Bluesky's run_decorator). */
export function run_decorator<TArgs extends unknown[]>(
  options: { md?: Metadata } = {},
): (planFunction: (...args: TArgs) => PlanLike) => (...args: TArgs) => Plan<string> {
  return (planFunction) =>
    (...args) =>
      run_wrapper(planFunction(...args), options);
}
