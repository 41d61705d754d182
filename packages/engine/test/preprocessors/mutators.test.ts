// plan_mutator, msg_mutator, pchain: message routing, responses, errors and closing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Msg, msg, type Plan } from "../../src/index.ts";
import { msg_mutator, pchain, plan_mutator } from "../../src/preprocessors/index.ts";

/** Drives a plan by hand: each message is answered `answer(msg)`; returns messages and result. */
function drive(plan: Plan<unknown>, answer: (m: Msg) => unknown = (m) => `re:${m.command}`) {
  const seen: string[] = [];
  let step = plan.next();
  while (!step.done) {
    seen.push(step.value.command);
    step = plan.next(answer(step.value));
  }
  return { seen, result: step.value };
}

describe("plan_mutator", () => {
  test("a head replaces a message; the plan receives the response to the head's last message", () => {
    const got: unknown[] = [];
    const plan = (function* (): Plan<string> {
      got.push(yield msg("a"));
      got.push(yield msg("b"));
      return "done";
    })();
    const mutated = plan_mutator(plan, (m) =>
      m.command === "a"
        ? [
            (function* () {
              yield msg("x");
              yield msg("y");
            })(),
            null,
          ]
        : null,
    );
    const { seen, result } = drive(mutated);
    assert.deepEqual(seen, ["x", "y", "b"]);
    assert.deepEqual(got, ["re:y", "re:b"]);
    assert.equal(result, "done");
  });

  test("a tail runs after the message; the plan still receives the message's own response", () => {
    const got: unknown[] = [];
    const plan = (function* (): Plan<void> {
      got.push(yield msg("open_run"));
      got.push(yield msg("close_run"));
    })();
    const mutated = plan_mutator(plan, (m) =>
      m.command === "open_run" ? [null, [msg("after1"), msg("after2")]] : null,
    );
    const { seen } = drive(mutated);
    assert.deepEqual(seen, ["open_run", "after1", "after2", "close_run"]);
    assert.deepEqual(got, ["re:open_run", "re:close_run"]);
  });

  test("each message is offered once, including those inserted by heads", () => {
    const offered: string[] = [];
    const mutated = plan_mutator([msg("a"), msg("b")], (m) => {
      offered.push(m.command);
      return m.command === "a" ? [[msg("pre"), m], null] : null;
    });
    assert.deepEqual(drive(mutated as Plan<unknown>).seen, ["pre", "a", "b"]);
    assert.deepEqual(offered, ["a", "pre", "b"]);
  });

  test("an error thrown in is seen by the plan, which may catch it", () => {
    const plan = (function* (): Plan<string> {
      try {
        yield msg("fails");
      } catch (err) {
        return `caught ${(err as Error).message}`;
      }
      return "no error";
    })();
    const mutated = plan_mutator(plan, (m) =>
      m.command === "fails" ? [[msg("pre"), m], null] : null,
    );
    assert.equal((mutated.next().value as Msg).command, "pre");
    assert.equal((mutated.next().value as Msg).command, "fails");
    const end = mutated.throw(new Error("boom"));
    assert.deepEqual(end, { done: true, value: "caught boom" });
  });

  test("a failing head skips its tail and the error reaches the plan", () => {
    const plan = (function* (): Plan<string> {
      try {
        yield msg("a");
      } catch (err) {
        return (err as Error).message;
      }
      return "no error";
    })();
    const mutated = plan_mutator(plan, (m) =>
      m.command === "a"
        ? [
            (function* () {
              yield msg("pre");
              throw new Error("head failed");
            })(),
            [msg("tail")],
          ]
        : null,
    );
    assert.equal((mutated.next().value as Msg).command, "pre");
    assert.deepEqual(mutated.next("re:pre"), { done: true, value: "head failed" });
  });

  test("closing the mutated plan closes the inner plan (its finally runs)", () => {
    let closed = false;
    const plan = (function* (): Plan<void> {
      try {
        yield msg("a");
        yield msg("b");
      } finally {
        closed = true;
      }
    })();
    const mutated = plan_mutator(plan, () => null);
    mutated.next();
    mutated.return(undefined);
    assert.equal(closed, true);
  });
});

describe("msg_mutator and pchain", () => {
  test("msg_mutator replaces and drops messages; dropped ones answer undefined", () => {
    const got: unknown[] = [];
    const plan = (function* (): Plan<void> {
      got.push(yield msg("keep"));
      got.push(yield msg("drop"));
      got.push(yield msg("rename"));
    })();
    const mutated = msg_mutator(plan, (m) =>
      m.command === "drop" ? null : m.command === "rename" ? msg("renamed") : m,
    );
    assert.deepEqual(drive(mutated).seen, ["keep", "renamed"]);
    assert.deepEqual(got, ["re:keep", undefined, "re:renamed"]);
  });

  test("pchain runs plans in turn and returns their results", () => {
    const one = (function* (): Plan<number> {
      yield msg("a");
      return 1;
    })();
    const two = (function* (): Plan<number> {
      yield msg("b");
      return 2;
    })();
    const { seen, result } = drive(pchain(one, two));
    assert.deepEqual(seen, ["a", "b"]);
    assert.deepEqual(result, [1, 2]);
  });
});
