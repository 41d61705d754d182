// The RunEngine facade: runs plans, answers pause/resume/stop/abort/halt, holds subscriptions,
// suspenders, persistent metadata, hooks and the command table.
import type { DocumentCallback } from "@cerulean/event-model";
import {
  isControlException,
  PlanArgumentError,
  RunEngineBusy,
  RunEngineInterrupted,
  RunEnginePanicked,
  TransitionError,
} from "../errors.ts";
import { type Msg, msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import type { CommandHandler } from "./context.ts";
import { Dispatcher, type SubscriptionName } from "./dispatcher.ts";
import { defaultCommands } from "./handlers/index.ts";
import {
  PlanRunner,
  type RunEngineResult,
  type RunnerHost,
  type Settlement,
} from "./plan-runner.ts";
import {
  applyPreprocessor,
  type CallOptions,
  consoleLog,
  defaultMdValidator,
  defaultScanIdSource,
  type EngineLog,
  normalizeSubs,
  PAUSE_MSG,
  type PreprocessorLike,
  type RunEngineOptions,
  readLine,
  type Suspender,
} from "./run-engine-options.ts";
import { type EngineState, type StateHook, StateMachine } from "./state-machine.ts";
import type { SuspenderHost, SuspendOptions } from "./suspenders.ts";

/** The version recorded in every start document's `versions`. */
export const CERULEAN_VERSION = "0.1.0";

/**
 * Runs plans and emits their documents (Bluesky's RunEngine).
 * @example
 * const RE = new RunEngine();
 * RE.subscribe((name, doc) => console.log(name, doc));
 * const { runStartUids } = await RE.call(count([det], 3));
 */
export class RunEngine implements RunnerHost, SuspenderHost {
  readonly md: Record<string, unknown>;
  readonly dispatcher = new Dispatcher();
  readonly stateMachine = new StateMachine();
  /** Plan wrappers applied to every plan: functions `f(plan)` or objects with `wrap(plan)`. */
  preprocessors: PreprocessorLike[];
  mdValidator: (md: Record<string, unknown>) => void;
  mdNormalizer: (md: Record<string, unknown>) => Record<string, unknown>;
  scanIdSource: (md: Record<string, unknown>) => number | Promise<number>;
  recordInterruptions: boolean;
  validateDocuments: boolean;
  requireStreamDeclaration: boolean;
  /** Called with every message before it runs (Bluesky's msg_hook). */
  msgHook: ((msg: Msg) => void) | undefined;
  /** Called with the statuses a `wait` waits on, then with undefined (progress bars). */
  waitingHook: ((statuses: readonly unknown[] | undefined) => void) | undefined;
  pauseMsg = PAUSE_MSG;
  readonly engineClass: unknown = RunEngine;
  readonly #commands = defaultCommands();
  #runner: PlanRunner | null = null;
  #deferredPause = false;
  readonly #suspenders = new Set<Suspender>();
  readonly #log: EngineLog;
  readonly #input: (prompt: string) => Promise<string>;

  constructor(options: RunEngineOptions = {}) {
    this.md = options.md ?? {};
    const versions = this.md["versions"];
    this.md["versions"] = {
      ...(typeof versions === "object" && versions !== null ? versions : {}),
      cerulean: CERULEAN_VERSION,
    };
    this.preprocessors = options.preprocessors ?? [];
    this.mdValidator = options.mdValidator ?? defaultMdValidator;
    this.mdNormalizer = options.mdNormalizer ?? ((md) => md);
    this.scanIdSource = options.scanIdSource ?? defaultScanIdSource;
    this.recordInterruptions = options.recordInterruptions ?? false;
    this.validateDocuments = options.validateDocuments ?? false;
    this.requireStreamDeclaration = options.requireStreamDeclaration ?? false;
    this.dispatcher.ignoreExceptions = options.ignoreCallbackExceptions ?? false;
    this.#log = options.log ?? consoleLog;
    this.dispatcher.reportError = (err, name) =>
      this.#log.warn(`a subscriber failed on a "${name}" document`, err);
    this.stateMachine.reportHookError = (err) => this.#log.warn("the state hook failed", err);
    this.#input = options.input ?? readLine;
  }

  /** The current state ('idle', 'running', 'paused', ...). */
  get state(): EngineState {
    return this.stateMachine.state;
  }

  /** Called after every state change with `(new, old)` (Bluesky's state_hook). */
  get stateHook(): StateHook | undefined {
    return this.stateMachine.hook;
  }
  set stateHook(hook: StateHook | undefined) {
    this.stateMachine.hook = hook;
  }

  get ignoreCallbackExceptions(): boolean {
    return this.dispatcher.ignoreExceptions;
  }
  set ignoreCallbackExceptions(value: boolean) {
    this.dispatcher.ignoreExceptions = value;
  }

  /** True when a deferred pause waits for the next checkpoint. */
  get deferredPauseRequested(): boolean {
    return this.#deferredPause;
  }

  /** The command table (read-only view; change it with registerCommand). */
  get commands(): ReadonlyMap<string, CommandHandler> {
    return this.#commands;
  }

  get suspenders(): ReadonlySet<Suspender> {
    return this.#suspenders;
  }

  /**
   * Runs a plan to its end. Resolves with the run uids and the plan's return value; rejects with
   * RunEngineInterrupted when the plan pauses, and with the plan's error when it fails (after
   * cleanup, every run closed with exit_status 'fail').
   */
  async call<TResult>(
    plan: PlanLike<TResult>,
    options: CallOptions = {},
  ): Promise<RunEngineResult<TResult>> {
    this.#assertNotPanicked();
    if (this.state !== "idle") {
      throw new RunEngineBusy(
        `the RunEngine is ${this.state}; it runs one plan at a time (resume, stop or abort first)`,
      );
    }
    this.#deferredPause = false;
    let gen: Plan<unknown> = ensureGenerator(plan);
    for (const preprocessor of this.preprocessors) gen = applyPreprocessor(preprocessor, gen);
    const runner = new PlanRunner(this, gen, { ...(options.md ?? {}) });
    for (const [name, callback] of normalizeSubs(options.subs)) {
      runner.temporarySubscriptions.add(this.dispatcher.subscribe(callback, name));
    }
    const futures: Promise<unknown>[] = [];
    const why: string[] = [];
    for (const suspender of this.#suspenders) {
      const { futures: f, justification } = suspender.getFutures();
      futures.push(...f);
      if (f.length > 0) why.push(justification);
    }
    if (futures.length > 0) {
      this.#log.info(`Suspenders are tripped; the plan starts once they clear: ${why.join("; ")}`);
      runner.pushPlan([msg("wait_for", null, { args: [futures] })]);
    }
    this.#runner = runner;
    void runner.finished.then(() => {
      if (this.#runner === runner) this.#runner = null;
    });
    this.stateMachine.set("running");
    return this.#settled(runner.start()) as Promise<RunEngineResult<TResult>>;
  }

  /** Resumes a paused plan from its last checkpoint (replaying the messages since then). */
  resume(): Promise<RunEngineResult> {
    this.#assertNotPanicked();
    const runner = this.#runner;
    if (this.state !== "paused" || runner === null) {
      throw new TransitionError(`the RunEngine is ${this.state}; resume() works only when paused`);
    }
    runner.interrupted = false;
    return this.#settled(runner.continue());
  }

  /**
   * Pauses the running plan: at once (`defer: false`, rewinding to the last checkpoint on
   * resume), or at the next checkpoint (`defer: true`).
   */
  requestPause(options: { defer?: boolean } = {}): void {
    this.#assertNotPanicked();
    const runner = this.#runner;
    if (this.state !== "running" || runner === null) {
      throw new TransitionError(
        `the RunEngine is ${this.state}; a pause can be requested only while running`,
      );
    }
    if (runner.finishing) {
      this.#log.info("The plan is ending; there is nothing left to pause.");
      return;
    }
    if (options.defer) {
      this.#deferredPause = true;
      this.#log.info("Deferred pause acknowledged. Continuing to checkpoint.");
      return;
    }
    this.#deferredPause = false;
    this.stateMachine.set("pausing");
    runner.interrupted = true;
    runner.recordInterruption("pause");
    this.#log.info("Pausing...");
    runner.interrupt();
  }

  /** Ends the plan, letting its cleanup run; the runs end with exit_status 'success'. */
  stop(): Promise<RunEngineResult> {
    this.#log.info("Stopping: running cleanup and marking exit_status as 'success'...");
    return this.#end("stopping");
  }

  /** Ends the plan, letting its cleanup run; the runs end with exit_status 'abort' and `reason`. */
  abort(reason = ""): Promise<RunEngineResult> {
    this.#log.info("Aborting: running cleanup and marking exit_status as 'abort'...");
    return this.#end("aborting", reason);
  }

  /** Ends the plan without its cleanup; the runs end with exit_status 'abort'. */
  halt(): Promise<RunEngineResult> {
    this.#log.info("Halting: skipping cleanup and marking exit_status as 'abort'...");
    return this.#end("halting");
  }

  /** Subscribes `callback(name, doc)` to documents (all of them by default); returns a token. */
  subscribe(callback: DocumentCallback, name: SubscriptionName = "all"): number {
    return this.dispatcher.subscribe(callback, name);
  }

  unsubscribe(token: number): void {
    this.dispatcher.unsubscribe(token);
  }

  /** Adds (or replaces) the handler of a message command: how plugins add commands. */
  registerCommand(name: string, handler: CommandHandler): void {
    if (typeof name !== "string" || name === "" || typeof handler !== "function") {
      throw new PlanArgumentError(
        `registerCommand needs a command name and a handler function; got ${JSON.stringify(name)}`,
      );
    }
    this.#commands.set(name, handler);
  }

  unregisterCommand(name: string): void {
    this.#commands.delete(name);
  }

  installSuspender(suspender: unknown): void {
    const s = asSuspender(suspender);
    this.#suspenders.add(s);
    s.install(this);
  }

  removeSuspender(suspender: unknown): void {
    const s = asSuspender(suspender);
    if (this.#suspenders.delete(s)) s.remove();
  }

  clearSuspenders(): void {
    for (const s of [...this.#suspenders]) this.removeSuspender(s);
  }

  /** Suspends the running plan until `release` settles (what suspenders call). */
  requestSuspend(release: Promise<unknown>, options: SuspendOptions = {}): void {
    const runner = this.#runner;
    if (runner === null || runner.finishing) return;
    if (this.state !== "running" && this.state !== "suspending") return;
    this.#log.info(`Suspending.... ${options.justification ?? ""}`);
    runner.interrupted = true;
    this.stateMachine.set("suspending");
    runner.requestSuspend({
      release,
      prePlan: options.prePlan,
      postPlan: options.postPlan,
      justification: options.justification ?? "",
    });
  }

  /** Halts whatever runs and forgets every subscription. */
  async reset(): Promise<void> {
    if (this.state !== "idle" && this.state !== "panicked") await this.halt();
    this.dispatcher.unsubscribeAll();
    this.#deferredPause = false;
  }

  input(prompt: string): Promise<string> {
    return this.#input(prompt);
  }

  warn(message: string, err?: unknown): void {
    this.#log.warn(message, err);
  }

  #assertNotPanicked(): void {
    if (this.state === "panicked") {
      throw new RunEnginePanicked(
        "the RunEngine is panicked and cannot be recovered; create a new one",
      );
    }
  }

  async #end(to: "stopping" | "aborting" | "halting", reason = ""): Promise<RunEngineResult> {
    this.#assertNotPanicked();
    const runner = this.#runner;
    if (this.state === "idle" || runner === null)
      throw new TransitionError("the RunEngine is already idle");
    this.stateMachine.set(to);
    runner.interrupted = true;
    if (to === "aborting") runner.reason = reason;
    // Still 'paused' right after resume() while the loop restarts: it must be interrupted too.
    if (runner.isPaused) void runner.continue();
    else runner.interrupt(true);
    return runner.finished;
  }

  async #settled(settlement: Promise<Settlement>): Promise<RunEngineResult> {
    const s = await settlement;
    if (s.kind === "paused") throw new RunEngineInterrupted(this.pauseMsg);
    const { exception } = s.result;
    if (exception !== undefined && !isControlException(exception)) throw exception;
    return s.result;
  }
}

function asSuspender(value: unknown): Suspender {
  const s = value as Suspender;
  if (
    typeof s !== "object" ||
    s === null ||
    typeof s.install !== "function" ||
    typeof s.remove !== "function" ||
    typeof s.getFutures !== "function"
  ) {
    throw new PlanArgumentError(
      "a suspender needs install(), remove() and getFutures() (see SuspenderBase)",
    );
  }
  return s;
}
