// What a message handler can reach: the engine's settings and the state of the plan being run.
import type { Document, DocumentName } from "@cerulean/event-model";
import type { Msg, RunKey } from "../msg.ts";
import type { Dispatcher } from "./dispatcher.ts";
import type { RunBundler } from "./run-bundler.ts";
import type { StateMachine } from "./state-machine.ts";
import type { StatusGroups } from "./status-groups.ts";

/**
 * A message handler: gets the message, returns the value sent back into the plan. Return a
 * Promise for asynchronous work (and only then: a Status or other thenable returned directly
 * is handed to the plan as is). Throwing or rejecting throws the error into the plan.
 */
export type CommandHandler = (msg: Msg, ctx: EngineContext) => unknown;

/** The engine-wide settings and services handlers use. */
export interface EngineServices {
  /** Persistent metadata (scan_id lives here). */
  readonly md: Record<string, unknown>;
  readonly dispatcher: Dispatcher;
  readonly stateMachine: StateMachine;
  readonly recordInterruptions: boolean;
  /** Validate every document against the schemas (debugging; slower). */
  readonly validateDocuments: boolean;
  /** Refuse `create` of a stream not declared with `declare_stream`. */
  readonly requireStreamDeclaration: boolean;
  readonly deferredPauseRequested: boolean;
  scanIdSource(md: Record<string, unknown>): number | Promise<number>;
  mdValidator(md: Record<string, unknown>): void;
  mdNormalizer(md: Record<string, unknown>): Record<string, unknown>;
  requestPause(options?: { defer?: boolean }): void;
  installSuspender(suspender: unknown): void;
  removeSuspender(suspender: unknown): void;
  /** Reads one line from the user (the `input` message). */
  input(prompt: string): Promise<string>;
  /** Called with the statuses waited on, then with `undefined` when the wait is over. */
  readonly waitingHook: ((statuses: readonly unknown[] | undefined) => void) | undefined;
  /** Where warnings go (failed cleanups, ignored errors). */
  warn(message: string, err?: unknown): void;
  /** The RunEngine class (the `RE_class` message). */
  readonly engineClass: unknown;
}

/** The state of one `call()` that handlers read and change. */
export interface EngineContext {
  readonly engine: EngineServices;
  /** Open runs by run key (`undefined` is the default run). */
  readonly runs: Map<RunKey | undefined, RunBundler>;
  /** The start uids of the runs opened during this call, in order. */
  readonly runStartUids: string[];
  /** Metadata given to `call()`, layered over every run's metadata. */
  readonly callMetadata: Readonly<Record<string, unknown>>;
  /** Every object a message was about. */
  readonly objsSeen: Set<object>;
  /** Objects `set` was sent to: stopped on pause and at the end. */
  readonly moved: Set<object>;
  /** Objects staged and not yet unstaged, in staging order. */
  readonly staged: Set<object>;
  readonly groups: StatusGroups;
  /** Subscription tokens to remove when the call ends. */
  readonly temporarySubscriptions: Set<number>;
  /** Whether new messages go into the rewind cache. */
  rewindable: boolean;
  /** True while a pause can be resumed (false after clear_checkpoint until the next checkpoint). */
  readonly resumable: boolean;
  /** Empties the rewind cache (if resumable) and snapshots every run's seq_num counters. */
  resetCheckpointState(): void;
  /** A checkpoint: a fresh rewind cache (resumable again) and fresh snapshots. */
  checkpoint(): void;
  /** No more rewinding: a pause from now on aborts (until the next checkpoint). */
  clearCheckpoint(): void;
  /** The open run a message addresses; throws IllegalMessageSequence when there is none. */
  runFor(msg: Msg, what: string): RunBundler;
  /** Sends a document to subscribers (a throwing subscriber throws here unless ignored). */
  emit(name: DocumentName, doc: Document): void;
  /** An error raised outside the plan's flow (a failed status, a monitor); thrown in next step. */
  reportAsyncError(err: unknown): void;
  /** True once the call's cleanup began: a handler resuming after an await must bail out. */
  readonly ended: boolean;
  /** True once cleanup began: late status failures are pardoned. */
  readonly pardonFailures: boolean;
  /** Calls `resume()` on every Pausable object seen (the `resume` message). */
  resumeDevices(): Promise<void>;
  /** Registers a function called if the message in flight is abandoned (pause, stop...). */
  onAbandon(cancel: () => void): () => void;
}
