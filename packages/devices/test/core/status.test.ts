import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  completedStatus,
  failedStatus,
  InvalidStatusStateError,
  StatusBase,
  StatusCancelledError,
  StatusTimeoutError,
  WaitTimeoutError,
} from "../../src/index.ts";

describe("StatusBase", () => {
  it("starts running, then reports done and success once finished", async () => {
    const status = new StatusBase({ operation: "motor1 set(1)" });
    equal(status.done, false);
    equal(status.success, false);
    status.setFinished();
    equal(status.done, true);
    equal(status.success, true);
    equal(status.exception, undefined);
    await status;
  });

  it("awaiting a failed status throws its error; done is true but success false", async () => {
    const status = new StatusBase({ operation: "det trigger()" });
    const boom = new Error("detector on fire");
    status.setException(boom);
    equal(status.done, true);
    equal(status.success, false);
    equal(status.exception, boom);
    await rejects(Promise.resolve(status), boom);
  });

  it("a failure nobody awaits does not become an unhandled rejection", async () => {
    let unhandled = 0;
    const count = (): void => {
      unhandled++;
    };
    process.on("unhandledRejection", count);
    failedStatus(new Error("ignored"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off("unhandledRejection", count);
    equal(unhandled, 0);
  });

  it("calls callbacks once on completion, and at once when added later", () => {
    const status = new StatusBase();
    const calls: string[] = [];
    status.addCallback((s) => calls.push(`early ${s.success}`));
    status.setFinished();
    status.addCallback((s) => calls.push(`late ${s.success}`));
    deepStrictEqual(calls, ["early true", "late true"]);
  });

  it("a throwing callback does not stop the others", () => {
    const status = new StatusBase();
    const calls: number[] = [];
    status.addCallback(() => {
      throw new Error("bad callback");
    });
    status.addCallback(() => calls.push(2));
    status.setFinished();
    deepStrictEqual(calls, [2]);
  });

  it("cannot finish twice", () => {
    const status = new StatusBase({ operation: "motor1 set(1)" });
    status.setFinished();
    throws(
      () => status.setException(new Error("late")),
      (e) => e instanceof InvalidStatusStateError && e.message.includes("motor1 set(1)"),
    );
  });

  it("a finish or failure arriving after a timeout or cancel is ignored", async () => {
    const timedOut = new StatusBase({ operation: "m1 set(3)", timeout: 0.01 });
    await rejects(Promise.resolve(timedOut), StatusTimeoutError);
    timedOut.setFinished();
    ok(timedOut.exception instanceof StatusTimeoutError);
    const failedLate = new StatusBase({ operation: "m1 set(5)", timeout: 0.01 });
    await rejects(Promise.resolve(failedLate), StatusTimeoutError);
    failedLate.setException(new Error("late"));
    ok(failedLate.exception instanceof StatusTimeoutError);

    const cancelled = new StatusBase({ operation: "m1 set(4)", settleTime: 0.01 });
    cancelled.cancel("abort");
    cancelled.setFinished();
    ok(cancelled.exception instanceof StatusCancelledError);
    // The device reporting twice is still a bug, even after a cancel.
    throws(() => cancelled.setException(new Error("second report")), InvalidStatusStateError);
  });

  it("cannot fail once finished, even during the settle time", async () => {
    const status = new StatusBase({ operation: "settle", settleTime: 0.01 });
    status.setFinished();
    throws(() => status.setException(new Error("late")), InvalidStatusStateError);
    await status;
    equal(status.success, true);
  });

  it("fails with StatusTimeoutError naming the operation and the timeout", async () => {
    const status = new StatusBase({ operation: "motor1 set(12)", timeout: 0.02 });
    await rejects(Promise.resolve(status), (error: Error) => {
      ok(error instanceof StatusTimeoutError);
      equal(error.message, "motor1 set(12) did not finish within 0.02 s");
      return true;
    });
  });

  it("a settle time delays done after setFinished", async () => {
    const status = new StatusBase({ settleTime: 0.02 });
    status.setFinished();
    equal(status.done, false);
    await status;
    equal(status.success, true);
  });

  it("wait(timeout) gives up with WaitTimeoutError while the operation goes on", async () => {
    const status = new StatusBase({ operation: "det trigger()" });
    await rejects(status.wait(0.01), (error: Error) => {
      ok(error instanceof WaitTimeoutError);
      ok(error.message.includes("det trigger()"));
      return true;
    });
    equal(status.done, false);
    status.setFinished();
    await status.wait(1);
  });

  it("cancel fails the status, runs the cancel hooks, and is a no-op once done", async () => {
    const status = new StatusBase({ operation: "motor1 set(3)" });
    const hooks: Error[] = [];
    status.onCancel((e) => hooks.push(e));
    status.cancel("user abort");
    ok(status.exception instanceof StatusCancelledError);
    equal(status.exception.message, "motor1 set(3) was cancelled: user abort");
    equal(hooks.length, 1);
    status.cancel("again");
    equal(hooks.length, 1);
    const finished = completedStatus();
    finished.cancel();
    equal(finished.success, true);
  });

  it("and(): succeeds when both succeed, fails as soon as one fails", async () => {
    const a = new StatusBase({ operation: "a" });
    const b = new StatusBase({ operation: "b" });
    const both = a.and(b);
    a.setFinished();
    equal(both.done, false);
    b.setFinished();
    equal(both.success, true);

    const c = new StatusBase({ operation: "c" });
    const d = new StatusBase({ operation: "d" });
    const either = c.and(d);
    const boom = new Error("d failed");
    d.setException(boom);
    equal(either.done, true);
    equal(either.exception, boom);
  });

  it("watchers get progress updates, late watchers the latest one, none after done", () => {
    const status = new StatusBase();
    const seen: number[] = [];
    status.watch((u) => seen.push(u.current));
    status.reportProgress({ current: 1, initial: 0, target: 2 });
    const late: number[] = [];
    status.watch((u) => late.push(u.current));
    status.reportProgress({ current: 2, initial: 0, target: 2 });
    status.setFinished();
    status.reportProgress({ current: 3, initial: 0, target: 2 });
    deepStrictEqual(seen, [1, 2]);
    deepStrictEqual(late, [1, 2]);
  });
});
