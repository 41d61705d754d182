// What a call of the RunEngine ends with, and the requests that interrupt it.
import type { ExitStatus } from "@cerulean/event-model";
import { describeCause, FailedPause, isControlException } from "../errors.ts";
import type { PlanFactory, PlanLike } from "../plan.ts";
import type { EngineState } from "./state-machine.ts";

/** The outcome of a call: Bluesky's RunEngineResult. */
export interface RunEngineResult<TResult = unknown> {
  /** Start uids of the runs opened during the call. */
  runStartUids: string[];
  /** The plan's return value (undefined when it was interrupted or failed). */
  planResult: TResult | undefined;
  exitStatus: ExitStatus;
  /** True when paused, stopped, aborted or halted on the way. */
  interrupted: boolean;
  reason: string;
  /** What ended the plan when it did not return, else undefined. */
  exception: unknown;
}

/** Where a call stands when its promise settles. */
export type Settlement = { kind: "paused" } | { kind: "done"; result: RunEngineResult };

/** A request to suspend until `release` settles (from a suspender). */
export interface SuspendRequest {
  release: Promise<unknown>;
  prePlan?: PlanLike | PlanFactory | undefined;
  postPlan?: PlanLike | PlanFactory | undefined;
  justification: string;
}

/** The exit status and reason of a call, from how the plan ended and the engine state then. */
export function exitOf(
  exception: unknown,
  state: EngineState,
  abortReason: string,
): { exitStatus: ExitStatus; reason: string } {
  if (exception === undefined) {
    const aborted = state === "aborting" || state === "halting";
    return { exitStatus: aborted ? "abort" : "success", reason: aborted ? abortReason : "" };
  }
  if (isControlException(exception)) {
    return {
      exitStatus: exception.exitStatus,
      reason: exception instanceof FailedPause ? exception.message : abortReason,
    };
  }
  return { exitStatus: "fail", reason: describeCause(exception) };
}
