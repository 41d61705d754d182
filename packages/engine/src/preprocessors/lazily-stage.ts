// lazily_stage_wrapper: stage each device tree just before it is first used, unstage at the end.
import { type Msg, msg } from "../msg.ts";
import type { Plan, PlanLike } from "../plan.ts";
import { unstage_all } from "../plan-stubs/staging.ts";
import { root_ancestor } from "../utils/devices.ts";
import { finalize_wrapper } from "./finalize.ts";
import { make_decorator } from "./make-decorator.ts";
import { type MutatorResult, plan_mutator } from "./plan-mutator.ts";

const FIRST_USE = new Set(["read", "set", "trigger", "kickoff"]);

/**
 * Stages the root device of each object the first time it is read, set, triggered or kicked
 * off; unstages them all, in reverse order, when `plan` ends however it ends.
 */
export function* lazily_stage_wrapper<T>(plan: PlanLike<T>): Plan<T | undefined> {
  const staged: unknown[] = [];
  const inner = plan_mutator(plan, (m): MutatorResult => {
    if (!FIRST_USE.has(m.command)) return null;
    const root = root_ancestor(m.obj);
    if (staged.includes(root)) return null;
    return [
      (function* (): Plan<unknown> {
        yield msg("stage", root);
        staged.push(root);
        return yield m as Msg;
      })(),
      null,
    ];
  });
  return (yield* finalize_wrapper(inner, () => unstage_all([...staged].reverse()))) as
    | T
    | undefined;
}

/** Decorator form of lazily_stage_wrapper. */
export const lazily_stage_decorator = make_decorator(lazily_stage_wrapper);
