// Plans are generators of messages; the value each `yield` evaluates to is the engine's response.
import { PlanArgumentError } from "./errors.ts";
import type { Msg } from "./msg.ts";

/**
 * A plan: a generator yielding messages, receiving each message's result, returning a value.
 * Compose plans with `yield*`, which also passes the inner plan's return value up.
 */
export type Plan<TReturn = unknown> = Generator<Msg, TReturn, unknown>;

/** What the engine accepts as a plan: a generator, or any iterable of messages (a list). */
export type PlanLike<TReturn = unknown> = Plan<TReturn> | Iterable<Msg>;

/** A function that makes a plan, e.g. a plan stub or a pre/post plan of a suspender. */
export type PlanFactory<TReturn = unknown> = () => PlanLike<TReturn>;

/** Wraps a plan into another plan (Bluesky's preprocessors, `f(plan)`). */
export type Preprocessor = (plan: Plan) => Plan;

/** %GeneratorPrototype%: every generator object has it two steps up its prototype chain. */
const GENERATOR_PROTOTYPE: unknown = Object.getPrototypeOf(
  Object.getPrototypeOf((function* () {})()),
);

function isGenerator(value: unknown): value is Plan {
  if (typeof value !== "object" || value === null) return false;
  // Fast path (generators differ in their own prototype, so property checks are megamorphic).
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) === GENERATOR_PROTOTYPE) return true;
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Plan).next === "function" &&
    typeof (value as Plan).throw === "function" &&
    typeof (value as Plan).return === "function"
  );
}

/** A generator from any plan-like value (Bluesky's ensure_generator); lists become generators. */
export function ensureGenerator<TReturn>(plan: PlanLike<TReturn>): Plan<TReturn | undefined> {
  if (isGenerator(plan)) return plan as Plan<TReturn | undefined>;
  if (plan !== null && typeof plan === "object" && Symbol.iterator in plan) {
    return iterateMessages(plan);
  }
  throw new PlanArgumentError(
    `a plan must be a generator or an iterable of messages; got ${plan === null ? "null" : typeof plan}`,
  );
}

function* iterateMessages(messages: Iterable<Msg>): Plan<undefined> {
  for (const m of messages) yield m;
  return undefined;
}

/** A plan that yields one message and returns its result (Bluesky's single_gen). */
export function* singleMessage(m: Msg): Plan<unknown> {
  return yield m;
}
