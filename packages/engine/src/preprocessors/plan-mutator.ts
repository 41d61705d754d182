// plan_mutator: rewrites a plan on the fly, replacing a message by a "head" plan and adding a
// "tail" plan after it, while the responses still reach the right generator.
import type { Msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike, singleMessage } from "../plan.ts";

/**
 * What to do with a message: `[head, tail]`. `head` replaces the message (the response to its
 * last message goes back to the plan, so it should end with a message answering like the
 * original); `tail` runs after it. `[null, null]` (or nothing) lets the message through;
 * `[null, tail]` lets it through and then runs `tail`.
 */
export type MutatorResult =
  | readonly [head: PlanLike | null | undefined, tail: PlanLike | null | undefined]
  | null
  | undefined;

interface Frame {
  gen: Plan<unknown>;
  /** Runs after this frame (a head) returns. */
  tail: Plan<unknown> | null;
  /** For a tail: what its head's plan receives once the tail is done. */
  passDown?: unknown;
  isTail: boolean;
  /** The last value sent into this frame. */
  lastInput: unknown;
}

type Input = { error: false; value: unknown } | { error: true; thrown: unknown };

/**
 * Runs `plan` with each message it yields (once per message object, including those of
 * inserted heads and tails) first offered to `msg_proc` (Bluesky's plan_mutator).
 */
export function* plan_mutator<T>(
  plan: PlanLike<T>,
  msg_proc: (msg: Msg) => MutatorResult,
): Plan<T | undefined> {
  const root = ensureGenerator(plan);
  const stack: Frame[] = [{ gen: root, tail: null, isTail: false, lastInput: undefined }];
  const seen = new WeakSet<Msg>();
  let input: Input = { error: false, value: undefined };
  let finished = false;
  try {
    for (;;) {
      const frame = stack[stack.length - 1] as Frame;
      let step: IteratorResult<Msg, unknown>;
      try {
        if (input.error) {
          step = frame.gen.throw(input.thrown);
        } else {
          frame.lastInput = input.value;
          step = frame.gen.next(input.value);
        }
      } catch (err) {
        stack.pop();
        // A head that failed never runs its tail; the error goes to the plan below.
        frame.tail?.return(undefined);
        if (stack.length === 0) {
          finished = true;
          throw err;
        }
        input = { error: true, thrown: err };
        continue;
      }
      if (step.done) {
        stack.pop();
        if (stack.length === 0) {
          finished = true;
          return step.value as T;
        }
        const passDown = frame.isTail ? frame.passDown : frame.lastInput;
        if (frame.tail) {
          stack.push({ gen: frame.tail, tail: null, isTail: true, passDown, lastInput: undefined });
          input = { error: false, value: undefined };
        } else {
          input = { error: false, value: passDown };
        }
        continue;
      }
      const m = step.value;
      if (!seen.has(m)) {
        seen.add(m);
        const [head, tail] = msg_proc(m) ?? [null, null];
        const headGen = head ? ensureGenerator(head) : tail ? singleMessage(m) : null;
        if (headGen) {
          stack.push({
            gen: headGen as Plan<unknown>,
            tail: tail ? (ensureGenerator(tail) as Plan<unknown>) : null,
            isTail: false,
            lastInput: undefined,
          });
          input = { error: false, value: undefined };
          continue;
        }
      }
      try {
        input = { error: false, value: yield m };
      } catch (err) {
        input = { error: true, thrown: err };
      }
    }
  } finally {
    // Closed from outside: close every generator still open, innermost first.
    if (!finished) {
      for (const frame of [...stack].reverse()) {
        frame.gen.return(undefined);
        frame.tail?.return(undefined);
      }
    }
  }
}
