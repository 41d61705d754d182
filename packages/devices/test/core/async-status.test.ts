import { equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AsyncStatus,
  FailedStatus,
  LimitError,
  StatusCancelledError,
  StatusTimeoutError,
  sleep,
} from "../../src/index.ts";

describe("AsyncStatus", () => {
  it("is done when its task resolves", async () => {
    let ran = false;
    const status = new AsyncStatus(async () => {
      ran = true;
    });
    await status;
    ok(ran);
    equal(status.success, true);
  });

  it("wraps a foreign error in FailedStatus naming the operation and the cause", async () => {
    const status = new AsyncStatus(
      async () => {
        throw new TypeError("socket closed");
      },
      { operation: "det trigger()" },
    );
    await rejects(Promise.resolve(status), (error: Error) => {
      ok(error instanceof FailedStatus);
      equal(error.message, "det trigger() failed: socket closed");
      ok(error.cause instanceof TypeError);
      return true;
    });
  });

  it("passes errors of this package through unchanged", async () => {
    const limit = new LimitError("motor1", 12, { low: -10, high: 10 });
    const status = new AsyncStatus(async () => {
      throw limit;
    });
    await rejects(Promise.resolve(status), limit);
  });

  it("a timeout aborts the task's signal", async () => {
    let aborted = false;
    const status = new AsyncStatus(
      async ({ signal }) => {
        signal.addEventListener("abort", () => {
          aborted = true;
        });
        await sleep(10, signal);
      },
      { operation: "motor1 set(5)", timeout: 0.02 },
    );
    await rejects(Promise.resolve(status), StatusTimeoutError);
    ok(aborted);
  });

  it("cancel aborts the task and fails with StatusCancelledError", async () => {
    let finishedWork = false;
    const status = new AsyncStatus(async ({ signal }) => {
      await sleep(10, signal);
      finishedWork = true;
    });
    status.cancel("stop pressed");
    await rejects(Promise.resolve(status), StatusCancelledError);
    await sleep(0.01);
    equal(finishedWork, false);
  });

  it("reports the task's progress to watchers", async () => {
    const status = new AsyncStatus(async ({ progress }) => {
      await sleep(0);
      progress({ current: 5, initial: 0, target: 10, fraction: 0.5 });
    });
    const fractions: Array<number | undefined> = [];
    status.watch((u) => fractions.push(u.fraction));
    await status;
    equal(fractions[0], 0.5);
  });
});
