// The loop of one `call()`: steps the plan stack, dispatches each message to its handler, sends
// the result back, and handles pause, suspension, stop, abort and halt; cleans up at the end.
// Messages whose handler answers at once cost no turn of the event loop (one turn per
// YIELD_EVERY messages keeps timers, sockets and Ctrl-C alive).
import {
  FailedPause,
  InvalidCommand,
  PlanArgumentError,
  PlanHalt,
  RequestAbort,
  RequestStop,
} from "../errors.ts";
import { type Msg, UNCACHEABLE_COMMANDS } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { CallState, NO_ERROR } from "./call-state.ts";
import type { CommandHandler, EngineServices } from "./context.ts";
import { type Deferred, deferred, yieldToEventLoop } from "./deferred.ts";
import { callPausables, closePlan, stopMoved } from "./device-actions.ts";
import { INTERRUPTED, InterruptLatch } from "./interrupt-latch.ts";
import {
  exitOf,
  type RunEngineResult,
  type Settlement,
  type SuspendRequest,
} from "./run-result.ts";
import type { EngineState } from "./state-machine.ts";
import { NOT_DELIVERED, replay, suspensionPlan } from "./suspension-plan.ts";

export type { RunEngineResult, Settlement, SuspendRequest } from "./run-result.ts";

const YIELD_EVERY = 1000;
const noop = () => {};

/** What the runner needs from its engine beyond the handlers' services. */
export interface RunnerHost extends EngineServices {
  readonly commands: ReadonlyMap<string, CommandHandler>;
  readonly msgHook: ((msg: Msg) => void) | undefined;
}

interface Frame {
  gen: Plan<unknown>;
  /** The response owed to the frame below, restored when this frame returns. */
  savedValue: unknown;
  savedError: unknown;
  /** When set, this frame's return value answers the interrupted message of the frame below. */
  deliversReturn: boolean;
}

/** Runs one plan (one `call()`), across pauses, to its end. */
export class PlanRunner extends CallState {
  /** True once paused, stopped, aborted, halted or suspended. */
  interrupted = false;
  /** The abort reason. */
  reason = "";
  /** True once the plan is over and cleanup runs: pauses and suspensions no longer apply. */
  finishing = false;
  /** Resolves with the result once the call is over, cleanup included. */
  readonly finished: Promise<RunEngineResult>;
  #finished: Deferred<RunEngineResult> = deferred();
  readonly #stack: Frame[] = [];
  #value: unknown;
  #error: unknown = NO_ERROR;
  readonly #latch = new InterruptLatch();
  #controlThrown = false;
  #permit: Deferred<void> | null = null;
  #settle: Deferred<Settlement> = deferred();
  #interruptedMsg: Msg | null = null;
  readonly #suspensions: SuspendRequest[] = [];

  constructor(
    override readonly engine: RunnerHost,
    plan: Plan<unknown>,
    callMetadata: Readonly<Record<string, unknown>>,
  ) {
    super(engine, callMetadata);
    this.finished = this.#finished.promise;
    this.#push(plan, false);
  }

  /**
   * Starts the loop; resolves when the call pauses or ends. Until the call ends the process is
   * kept alive: a plan waiting on devices whose timers are unref'd must not just exit.
   */
  start(): Promise<Settlement> {
    const keepAlive = setInterval(noop, 1 << 30);
    void this.#main().finally(() => clearInterval(keepAlive));
    return this.#settle.promise;
  }

  /**
   * Lets a paused loop go on (to resume or to clean up); resolves at the next pause or the end.
   * Every caller gets a promise that settles: when the loop already goes on, the pending one.
   */
  continue(): Promise<Settlement> {
    // Already going on (a second resume, or an abort right after resume): the same settlement.
    if (this.#permit === null) return this.#settle.promise;
    this.#settle = deferred();
    const permit = this.#permit;
    this.#permit = null;
    permit?.resolve();
    return this.#settle.promise;
  }

  /** True while waiting for `continue()`. */
  get isPaused(): boolean {
    return this.#permit !== null;
  }

  /**
   * Makes the loop look at the engine state (pause, suspension, stop...). A pause or suspension
   * abandons only a message that waits (sleep, wait, wait_for, input: those registered with
   * onAbandon) and re-issues it on resume; other messages finish first. Stop, abort and halt
   * (`control`) abandon whatever is in flight.
   */
  interrupt(control = false): void {
    this.#latch.raise(control);
    this.cancelAll();
  }

  /** Queues a suspension; the engine state is already 'suspending'. */
  requestSuspend(request: SuspendRequest): void {
    this.#suspensions.push(request);
    this.interrupt();
  }

  /** Puts a message plan on top of the stack, run first (the call's wait for tripped suspenders). */
  pushPlan(plan: PlanLike): void {
    this.#push(ensureGenerator(plan), false);
  }

  /** Records an interruption event in every open run (when recording interruptions). */
  recordInterruption(content: string): void {
    for (const run of this.runs.values()) run.recordInterruption(content);
  }

  // ---- the loop --------------------------------------------------------------------------

  #push(gen: Plan<unknown>, deliversReturn: boolean): void {
    this.#stack.push({ gen, savedValue: this.#value, savedError: this.#error, deliversReturn });
    this.#value = undefined;
    this.#error = NO_ERROR;
  }

  async #execute(): Promise<unknown> {
    const commands = this.engine.commands;
    let sync = 0;
    for (;;) {
      if (this.#latch.pending) {
        this.#latch.pending = false;
        await this.#handleInterrupt();
        sync = 0;
      }
      if (this.asyncError !== NO_ERROR) {
        this.#error = this.asyncError;
        this.asyncError = NO_ERROR;
      }
      const frame = this.#stack[this.#stack.length - 1] as Frame;
      let step: IteratorResult<Msg, unknown>;
      try {
        if (this.#error === NO_ERROR) {
          step = frame.gen.next(this.#value);
        } else {
          const err = this.#error;
          this.#error = NO_ERROR;
          step = frame.gen.throw(err);
        }
      } catch (err) {
        this.#stack.pop();
        if (this.#stack.length === 0) throw err;
        this.#value = undefined;
        this.#error = err;
        continue;
      }
      if (step.done === true) {
        this.#stack.pop();
        if (this.#stack.length === 0) return step.value;
        this.#value =
          frame.deliversReturn && step.value !== NOT_DELIVERED ? step.value : frame.savedValue;
        this.#error = frame.savedError;
        continue;
      }
      const m = step.value;
      if (m === null || typeof m !== "object" || typeof m.command !== "string") {
        this.#value = undefined;
        this.#error = new PlanArgumentError(
          `a plan yielded ${m === null ? "null" : typeof m}; plans yield Msg objects ({command, obj, args, kwargs})`,
        );
        continue;
      }
      const hook = this.engine.msgHook;
      if (hook !== undefined) {
        try {
          hook(m);
        } catch (err) {
          this.engine.warn("the msg hook failed", err);
        }
      }
      const obj = m.obj;
      if (obj !== null && typeof obj === "object") this.objsSeen.add(obj);
      if (this.msgCache !== null && this.rewindable && !UNCACHEABLE_COMMANDS.has(m.command)) {
        this.msgCache.push(m);
      }
      const handler = commands.get(m.command);
      if (handler === undefined) {
        this.#value = undefined;
        this.#error = new InvalidCommand(m.command, [...commands.keys()]);
        continue;
      }
      let result: unknown;
      try {
        result = handler(m, this);
      } catch (err) {
        this.#value = undefined;
        this.#error = err;
        continue;
      }
      if (result instanceof Promise) {
        try {
          const settled = await this.#latch.race(result, this.cancellers.size > 0);
          if (settled === INTERRUPTED) {
            this.#value = undefined;
            this.#interruptedMsg = m;
          } else {
            this.#value = settled;
          }
        } catch (err) {
          this.#value = undefined;
          this.#error = err;
        }
      } else {
        this.#value = result;
      }
      if (this.engine.dispatcher.behind && this.engine.stateMachine.state === "running") {
        // A subscriber that fell behind asked the plan to wait for it (Dispatcher's flow control).
        // Any interruption cuts the wait short; what is still pending is waited for on resume,
        // but not by the cleanup of a plan being stopped, aborted or halted.
        try {
          await this.#latch.race(this.engine.dispatcher.catchUp(), true);
        } catch (err) {
          if (this.#error === NO_ERROR) {
            this.#value = undefined;
            this.#error = err;
          }
        }
      }
      // Sim devices answer with promises that settle as microtasks: without a real turn now and
      // then, a fast scan would starve timers, sockets and Ctrl-C in this process.
      if (++sync >= YIELD_EVERY) {
        sync = 0;
        await yieldToEventLoop();
      }
    }
  }

  async #handleInterrupt(): Promise<void> {
    switch (this.engine.stateMachine.state) {
      case "pausing":
        return this.#pause();
      case "suspending":
        return this.#suspend();
      case "stopping":
        return this.#throwControl(new RequestStop());
      case "aborting":
        return this.#throwControl(new RequestAbort(this.reason));
      case "halting":
        return this.#halt();
      default:
        return;
    }
  }

  #throwControl(err: Error): void {
    this.#latch.control = false;
    if (this.#controlThrown) return;
    this.#controlThrown = true;
    this.#value = undefined;
    this.#error = err;
  }

  #failPause(): void {
    this.interrupted = true;
    this.engine.stateMachine.set("aborting");
    this.#throwControl(new FailedPause());
  }

  async #pause(): Promise<void> {
    if (!this.resumable) return this.#failPause();
    for (const run of this.runs.values()) run.monitors.suspend();
    await stopMoved(this.moved, this.warn);
    await this.#pauseDevices();
    const state = this.engine.stateMachine;
    if (state.state !== "pausing") return this.#handleInterrupt();
    state.set("paused");
    this.#permit = deferred();
    const permit = this.#permit.promise;
    this.#settle.resolve({ kind: "paused" });
    await permit;
    if ((state.state as EngineState) !== "paused") {
      this.#restoreMonitors();
      return this.#handleInterrupt();
    }
    this.recordInterruption("resume");
    const { plan, deliver } = this.#rewind();
    // After the rewind: a restored monitor emits at once, and its events are never rewound.
    this.#restoreMonitors();
    this.#push(plan, deliver);
    await this.resumeDevices();
    // stop/abort/halt during resumeDevices: the latch is raised, the loop handles it next.
    if ((state.state as EngineState) === "paused") state.set("running");
  }

  #restoreMonitors(): void {
    for (const run of this.runs.values()) run.monitors.restore();
  }

  /**
   * The replay from the last checkpoint. The message a pause abandoned (always a waiting one)
   * is re-issued at the end if it was not cached, and its answer goes to the plan.
   */
  #rewind(): { plan: Plan<unknown>; deliver: boolean } {
    const cache = this.msgCache ?? [];
    const interrupted = this.#interruptedMsg;
    this.#interruptedMsg = null;
    this.msgCache = [];
    if (cache.length > 0) for (const run of this.runs.values()) run.rewind();
    if (interrupted === null) return { plan: replay(cache), deliver: false };
    const messages = cache[cache.length - 1] === interrupted ? cache : [...cache, interrupted];
    return { plan: replay(messages), deliver: true };
  }

  async #suspend(): Promise<void> {
    if (!this.resumable) return this.#failPause();
    this.engine.stateMachine.set("running");
    for (const request of this.#suspensions.splice(0)) await this.#startSuspension(request);
  }

  async #startSuspension(request: SuspendRequest): Promise<void> {
    this.recordInterruption(request.justification || "suspended");
    await stopMoved(this.moved, this.warn);
    await this.#pauseDevices();
    const { plan: rewind, deliver } = this.#rewind();
    this.#push(suspensionPlan(request, rewind, this.rewindable), deliver);
  }

  #halt(): never {
    this.#closePlans();
    throw new PlanHalt();
  }

  #closePlans(): void {
    while (this.#stack.length > 0) closePlan((this.#stack.pop() as Frame).gen, this.warn);
  }

  #pauseDevices(): Promise<void> {
    return callPausables(this.objsSeen, "pause", {
      warn: this.warn,
      noReplay: () => this.resetCheckpointState(),
    });
  }

  /**
   * A plan that ran to its end resolves once what subscribers asked to be waited for is done
   * (its documents stored). One that was interrupted (paused, stopped, aborted, halted) does
   * not wait: the user asked for it to end, and a hung subscriber must not hold the engine.
   */
  async #catchUpSubscribers(exitStatus: string): Promise<void> {
    const caughtUp = this.engine.dispatcher
      .catchUp()
      .catch((err: unknown) => this.engine.warn("a subscriber failed after the plan ended", err));
    if (exitStatus === "success" && !this.interrupted) await this.#latch.race(caughtUp, false);
  }

  async #main(): Promise<void> {
    let planResult: unknown;
    let exception: unknown;
    try {
      planResult = await this.#execute();
    } catch (err) {
      exception = err;
    }
    this.finishing = true;
    // A suspension requested as the plan ended has nothing left to suspend.
    this.#suspensions.length = 0;
    if (this.engine.stateMachine.state === "suspending") this.engine.stateMachine.set("running");
    const { exitStatus, reason } = exitOf(exception, this.engine.stateMachine.state, this.reason);
    let result: RunEngineResult = {
      runStartUids: this.runStartUids,
      planResult: exception === undefined ? planResult : undefined,
      exitStatus,
      interrupted: this.interrupted,
      reason,
      exception,
    };
    try {
      await this.releaseAll(exitStatus, reason);
      this.#closePlans();
      await this.#catchUpSubscribers(exitStatus);
      this.engine.stateMachine.set("idle");
    } catch (err) {
      this.engine.warn("cleanup failed; the RunEngine is panicked", err);
      try {
        this.engine.stateMachine.set("panicked");
      } catch {
        // already panicked
      }
      result = { ...result, exception: result.exception ?? err, exitStatus: "fail" };
    }
    this.#finished.resolve(result);
    this.#settle.resolve({ kind: "done", result });
  }
}
