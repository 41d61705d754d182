// inject_md_wrapper and stub_wrapper: change what reaches open_run, or remove the run entirely.
import type { Metadata } from "../msg.ts";
import type { Plan, PlanLike } from "../plan.ts";
import { make_decorator } from "./make-decorator.ts";
import { msg_mutator } from "./msg-mutator.ts";

/** Adds `md` to every open_run of `plan` (its keys win over the plan's own). */
export function inject_md_wrapper<T>(plan: PlanLike<T>, md: Metadata): Plan<T | undefined> {
  return msg_mutator(plan, (m) =>
    m.command === "open_run" ? { ...m, kwargs: { ...m.kwargs, ...md } } : m,
  );
}

/**
 * Drops the open_run, close_run, stage and unstage messages of `plan`, so it can run inside
 * another plan's run; returns the metadata its open_run carried.
 */
export function* stub_wrapper(plan: PlanLike): Plan<Metadata> {
  const md: Metadata = {};
  yield* msg_mutator(plan, (m) => {
    if (m.command === "open_run") {
      Object.assign(md, m.kwargs);
      return null;
    }
    return ["close_run", "stage", "unstage"].includes(m.command) ? null : m;
  });
  return md;
}

/** Decorator form of inject_md_wrapper. */
export const inject_md_decorator = make_decorator(inject_md_wrapper);
/** Decorator form of stub_wrapper. */
export const stub_decorator = make_decorator(stub_wrapper);
