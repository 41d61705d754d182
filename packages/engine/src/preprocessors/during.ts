// monitor_during_wrapper and fly_during_wrapper: monitor signals, or fly flyers, for the whole
// of every run of a plan.
import { type Msg, msg } from "../msg.ts";
import { type Plan, type PlanLike, singleMessage } from "../plan.ts";
import { shortUid } from "../utils/short-uid.ts";
import { make_decorator } from "./make-decorator.ts";
import { type MutatorResult, plan_mutator } from "./plan-mutator.ts";

function* messages(list: readonly Msg[]): Plan<void> {
  for (const m of list) yield m;
}

/** Adds `after` right after each open_run and `before` right before each close_run. */
function aroundRuns<T>(
  plan: PlanLike<T>,
  after: () => Msg[],
  before: () => Msg[],
): Plan<T | undefined> {
  const opened = plan_mutator(
    plan,
    (m): MutatorResult => (m.command === "open_run" ? [singleMessage(m), messages(after())] : null),
  );
  return plan_mutator(opened, (m): MutatorResult => {
    if (m.command !== "close_run") return null;
    return [
      (function* (): Plan<unknown> {
        yield* messages(before());
        return yield m;
      })(),
      null,
    ];
  }) as Plan<T | undefined>;
}

/** Monitors each signal (stream `<name>_monitor`) from the start to the end of every run. */
export function monitor_during_wrapper<T>(
  plan: PlanLike<T>,
  signals: readonly unknown[],
): Plan<T | undefined> {
  return aroundRuns(
    plan,
    () =>
      signals.map((sig) =>
        msg("monitor", sig, { kwargs: { name: `${(sig as { name: string }).name}_monitor` } }),
      ),
    () => signals.map((sig) => msg("unmonitor", sig)),
  );
}

/**
 * Kicks off the flyers (and waits) right after every open_run; completes them (and waits) and
 * collects each right before every close_run.
 */
export function fly_during_wrapper<T>(
  plan: PlanLike<T>,
  flyers: readonly unknown[],
): Plan<T | undefined> {
  const kickoffGroup = shortUid("flyers-kickoff");
  const completeGroup = shortUid("flyers-complete");
  const withWait = (list: Msg[], group: string): Msg[] =>
    flyers.length > 0 ? [...list, msg("wait", null, { kwargs: { group } })] : list;
  return aroundRuns(
    plan,
    () =>
      withWait(
        flyers.map((f) => msg("kickoff", f, { kwargs: { group: kickoffGroup } })),
        kickoffGroup,
      ),
    () => [
      ...withWait(
        flyers.map((f) => msg("complete", f, { kwargs: { group: completeGroup } })),
        completeGroup,
      ),
      ...flyers.map((f) => msg("collect", f)),
    ],
  );
}

/** Decorator form of monitor_during_wrapper. */
export const monitor_during_decorator = make_decorator(monitor_during_wrapper);
/** Decorator form of fly_during_wrapper. */
export const fly_during_decorator = make_decorator(fly_during_wrapper);
