// The plans the loop pushes to rewind: the replay of the messages since the last checkpoint, and
// the suspension (pre_plan, wait until released, post_plan, then the replay).
import { type Msg, msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanFactory, type PlanLike } from "../plan.ts";
import type { SuspendRequest } from "./run-result.ts";

/** Returned by a replay whose last message was not answered (nothing to hand down). */
export const NOT_DELIVERED: unique symbol = Symbol("not delivered");

/** Replays messages; returns the last one's response. */
export function* replay(messages: readonly Msg[]): Plan<unknown> {
  let last: unknown = NOT_DELIVERED;
  for (const m of messages) last = yield m;
  return last;
}

function resolvePlan(plan: PlanLike | PlanFactory | undefined): PlanLike | undefined {
  return typeof plan === "function" ? plan() : plan;
}

/**
 * What runs while suspended: rewinding off, pre_plan, wait for the release, resume devices,
 * post_plan, rewinding restored, then the replay from the last checkpoint.
 */
export function* suspensionPlan(
  request: SuspendRequest,
  rewind: Plan<unknown>,
  wasRewindable: boolean,
): Plan<unknown> {
  const pre = resolvePlan(request.prePlan);
  const post = resolvePlan(request.postPlan);
  const gate = { open: false };
  const release = request.release.then(
    () => {
      gate.open = true;
    },
    () => {
      gate.open = true;
    },
  );
  yield msg("rewindable", null, { args: [false] });
  if (pre !== undefined) yield* ensureGenerator(pre);
  // A pause while suspended replays nothing, so the wait repeats until really released.
  while (!gate.open) yield msg("wait_for", null, { args: [[release]] });
  yield msg("_resume_from_suspender");
  if (post !== undefined) yield* ensureGenerator(post);
  yield msg("rewindable", null, { args: [wasRewindable] });
  return yield* rewind;
}
