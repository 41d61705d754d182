// Decorator forms of the wrappers: in TypeScript a decorator is a higher-order function,
// `relative_set_decorator([motor])(myPlan)` returns a plan function whose plans are wrapped.
import type { Plan, PlanLike } from "../plan.ts";

/** A plan function (a generator function or anything returning a plan). */
export type PlanFunction<TArgs extends unknown[] = unknown[], TReturn = unknown> = (
  ...args: TArgs
) => PlanLike<TReturn>;

/** Turns a plan function into one whose plans are wrapped. */
export type PlanDecorator = <TArgs extends unknown[]>(
  planFunction: PlanFunction<TArgs>,
) => (...args: TArgs) => Plan<unknown>;

/**
 * Makes a `*_decorator` from a `*_wrapper(plan, ...options)` (Bluesky's make_decorator):
 * `make_decorator(wrapper)(...options)(planFunction)`.
 */
export function make_decorator<TOptions extends unknown[]>(
  wrapper: (plan: PlanLike, ...options: TOptions) => Plan<unknown>,
): (...options: TOptions) => PlanDecorator {
  return (...options) =>
    (planFunction) =>
    (...args) =>
      wrapper(planFunction(...args), ...options);
}
