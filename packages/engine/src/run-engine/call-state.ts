// The state of one `call()` as message handlers see it (the EngineContext): open runs, objects
// seen, moved and staged, status groups, the rewind cache, and the error channel into the plan.
import type { Document, DocumentName, ExitStatus } from "@cerulean/event-model";
import { IllegalMessageSequence } from "../errors.ts";
import type { Msg, RunKey } from "../msg.ts";
import type { EngineContext, EngineServices } from "./context.ts";
import { callPausables, stopMoved, unstageAll } from "./device-actions.ts";
import { backstopCollect } from "./fly-collector.ts";
import type { RunBundler } from "./run-bundler.ts";
import { StatusGroups } from "./status-groups.ts";

/** "No error pending" (an error can be any value, undefined included). */
export const NO_ERROR: unique symbol = Symbol("no error");

/** The handler-visible state of a call; the PlanRunner adds the loop. */
export class CallState implements EngineContext {
  readonly runs = new Map<RunKey | undefined, RunBundler>();
  readonly runStartUids: string[] = [];
  readonly objsSeen = new Set<object>();
  readonly moved = new Set<object>();
  readonly staged = new Set<object>();
  readonly groups: StatusGroups;
  readonly temporarySubscriptions = new Set<number>();
  rewindable = true;
  /** True once the call's cleanup began: a handler finishing late must not open anything. */
  ended = false;
  /** Messages since the last checkpoint; null when not resumable (after clear_checkpoint). */
  protected msgCache: Msg[] | null = [];
  /** An error raised outside the plan's flow, thrown in at the next step. */
  protected asyncError: unknown = NO_ERROR;
  protected pardon = false;
  protected readonly cancellers = new Set<() => void>();

  constructor(
    readonly engine: EngineServices,
    readonly callMetadata: Readonly<Record<string, unknown>>,
  ) {
    this.groups = new StatusGroups(this);
  }

  /** Calls `resume()` on every Pausable object seen (the resume message, a resume). */
  resumeDevices(): Promise<void> {
    return callPausables(this.objsSeen, "resume", { warn: this.warn, noReplay: () => {} });
  }

  protected readonly warn = (message: string, err: unknown): void => this.engine.warn(message, err);

  /**
   * The end of a call, whatever happened (Bluesky's cleanup): failures pardoned, moved objects
   * stopped, monitors removed, flyers left uncollected collected, staged objects unstaged, every
   * open run closed with `exitStatus`/`reason`, call subscriptions removed. Failures are warned.
   */
  protected async releaseAll(exitStatus: ExitStatus, reason: string): Promise<void> {
    this.ended = true;
    this.pardon = true;
    await stopMoved(this.moved, this.warn);
    for (const run of this.runs.values()) {
      run.monitors.clear();
      if (run.isOpen) await backstopCollect(run, this.warn);
    }
    await unstageAll(this.staged, this.warn);
    this.staged.clear();
    for (const run of this.runs.values()) {
      if (!run.isOpen) continue;
      try {
        run.closeRun(exitStatus, reason);
      } catch (err) {
        this.warn(`closing run ${run.uid} raised (its stop document was still sent)`, err);
      }
    }
    this.runs.clear();
    for (const token of this.temporarySubscriptions) this.engine.dispatcher.unsubscribe(token);
    this.temporarySubscriptions.clear();
    this.groups.clear();
    this.cancellers.clear();
  }

  /** Calls and forgets every registered canceller (the message in flight is abandoned). */
  protected cancelAll(): void {
    for (const cancel of [...this.cancellers]) {
      try {
        cancel();
      } catch (err) {
        this.engine.warn("a cancelled operation failed to cancel", err);
      }
    }
    this.cancellers.clear();
  }

  get resumable(): boolean {
    return this.msgCache !== null;
  }

  get pardonFailures(): boolean {
    return this.pardon;
  }

  get waitingHook(): EngineServices["waitingHook"] {
    return this.engine.waitingHook;
  }

  resetCheckpointState(): void {
    if (this.msgCache === null) return;
    this.msgCache = [];
    for (const run of this.runs.values()) run.resetCheckpointState();
  }

  checkpoint(): void {
    this.msgCache = [];
    for (const run of this.runs.values()) run.resetCheckpointState();
  }

  clearCheckpoint(): void {
    this.msgCache = null;
    for (const run of this.runs.values()) run.clearCheckpoint();
  }

  runFor(m: Msg, what: string): RunBundler {
    const run = this.runs.get(m.run);
    if (run === undefined) {
      const key = m.run === undefined ? "" : ` with run key ${JSON.stringify(m.run)}`;
      throw new IllegalMessageSequence(`"${what}" needs an open run${key}; send "open_run" first`);
    }
    return run;
  }

  emit(name: DocumentName, doc: Document): void {
    this.engine.dispatcher.process(name, doc);
  }

  reportAsyncError(err: unknown): void {
    if (this.pardon || this.asyncError !== NO_ERROR) {
      this.engine.warn("an error arrived while another was pending or after cleanup began", err);
      return;
    }
    this.asyncError = err;
  }

  onAbandon(cancel: () => void): () => void {
    this.cancellers.add(cancel);
    return () => this.cancellers.delete(cancel);
  }
}
