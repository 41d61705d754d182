// The RE Manager: owns the queue, history and state, drives the worker process and survives
// whatever happens to it. Queue execution lives in queue-runner.ts, the API methods in *-api.ts.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { RequestFailedError } from "../errors.ts";
import type { ExistingLists } from "../profiles/describe.ts";
import { historyItem } from "../queue/history-item.ts";
import { PlanQueue } from "../queue/plan-queue.ts";
import type { QueueStorage } from "../queue/storage.ts";
import type { ManagerState, QueueMode } from "../types.ts";
import type { WorkerMessage } from "../worker/protocol.ts";
import { WorkerProcess } from "../worker/worker-process.ts";
import { AgentRegistry } from "./agents.ts";
import { ConsoleBuffer } from "./console-buffer.ts";
import { Lock } from "./lock.ts";
import { DEFAULT_PERMISSIONS, type UserGroupPermissions } from "./permissions.ts";
import { QueueRunner } from "./queue-runner.ts";
import { RunTracker } from "./run-tracker.ts";
import { buildStatus } from "./status.ts";
import { TaskRegistry } from "./tasks.ts";

export interface REManagerOptions {
  storage: QueueStorage;
  /** Profile of the worker: "sim" or a module path (default "sim"). */
  profile?: string;
  dataDir?: string;
  /** Honoured by `unlock` only (QSERVER_EMERGENCY_LOCK_KEY_FOR_SERVER). */
  emergencyLockKey?: string;
  /** Lists used before the first environment opens when none are stored. */
  initialLists?: ExistingLists;
  permissions?: UserGroupPermissions;
}

/** Why the worker is going away, to name the failure of a running plan. */
type Departure = "destroy" | "close" | null;

/** Emits "status" on every change, "document" (name, doc) for every document of a run. */
export class REManager extends EventEmitter {
  readonly queue: PlanQueue;
  readonly lock: Lock;
  readonly console = new ConsoleBuffer();
  readonly storage: QueueStorage;
  readonly profile: string;
  readonly dataDir: string;
  state: ManagerState = "initializing";
  mode: QueueMode;
  autostart: boolean;
  stopPending: boolean;
  pausePending = false;
  permissions: UserGroupPermissions;
  lists: ExistingLists;
  listsUid = randomUUID();
  permissionsUid = randomUUID();
  worker: WorkerProcess | null = null;
  envExists = false;
  envState = "closed";
  reState: string | null = null;
  readonly runs = new RunTracker();
  readonly agents: AgentRegistry;
  /** Queue execution: start/stop, pause/resume, approval holds. */
  readonly runner: QueueRunner = new QueueRunner(this);
  readonly tasks = new TaskRegistry();
  #statusUid = randomUUID();
  #departure: Departure = null;
  #autostartTimer: NodeJS.Timeout | undefined;
  /** Documents whose listeners are still handling them (see #deliverDocument). */
  readonly #handling = new Set<Promise<unknown>>();

  constructor(options: REManagerOptions) {
    super();
    this.storage = options.storage;
    this.profile = options.profile ?? "sim";
    this.dataDir = options.dataDir ?? "./data";
    this.queue = new PlanQueue(this.storage);
    this.lock = new Lock(this.storage, options.emergencyLockKey);
    this.agents = new AgentRegistry(this.storage);
    this.mode = this.storage.getRecord<QueueMode>("plan_queue_mode") ?? {
      loop: false,
      ignore_failures: false,
    };
    this.autostart =
      this.storage.getRecord<{ enabled: boolean }>("autostart_mode_info")?.enabled ?? false;
    this.stopPending =
      this.storage.getRecord<{ enabled: boolean }>("stop_pending_info")?.enabled ?? false;
    this.permissions =
      this.storage.getRecord<UserGroupPermissions>("user_group_permissions") ??
      options.permissions ??
      DEFAULT_PERMISSIONS;
    this.lists = this.storage.getRecord<ExistingLists>("existing_lists") ??
      options.initialLists ?? { plans: {}, devices: {} };
    // A running item left by a killed server: its outcome is unknown.
    const stale = this.queue.running;
    if (stale) {
      this.queue.setRunning(null);
      this.runner.toHistory(
        historyItem(stale, {
          exit_status: "unknown",
          msg: "Plan exit status was lost due to restart of the RE Manager process",
        }),
      );
    }
    this.state = "idle";
    this.#autostartTimer = setInterval(() => this.runner.maybeAutostart(), 1000);
    this.#autostartTimer.unref();
  }

  /** Marks a change: new status uid, "status" event. */
  changed(): void {
    this.#statusUid = randomUUID();
    this.emit("status");
  }

  log(text: string): void {
    this.console.push(`${text}\n`);
  }

  /** The status reply (bluesky-queueserver's keys). */
  status(): Record<string, unknown> {
    return buildStatus(this, this.#statusUid);
  }

  setMode(mode: QueueMode): void {
    this.mode = mode;
    this.storage.setRecord("plan_queue_mode", mode);
    this.changed();
  }

  setAutostart(enabled: boolean): void {
    this.autostart = enabled;
    this.storage.setRecord("autostart_mode_info", { enabled });
    this.changed();
    if (enabled) this.runner.maybeAutostart();
  }

  setStopPending(enabled: boolean): void {
    this.stopPending = enabled;
    this.storage.setRecord("stop_pending_info", { enabled });
    this.changed();
  }

  setPermissions(permissions: UserGroupPermissions): void {
    this.permissions = permissions;
    this.storage.setRecord("user_group_permissions", permissions);
    this.permissionsUid = randomUUID();
    this.changed();
  }

  /** New plan and device lists (from the worker): the existing and allowed uids change. */
  setLists(lists: ExistingLists): void {
    this.lists = lists;
    this.storage.setRecord("existing_lists", lists);
    this.listsUid = randomUUID();
    this.permissionsUid = randomUUID();
    this.changed();
  }

  /** Called after queue edits: autostart may start the queue, a held queue may go on. */
  queueEdited(): void {
    this.changed();
    this.runner.queueEdited();
  }

  // ---- environment ----

  environmentOpen(): void {
    if (this.state === "creating_environment") {
      throw new RequestFailedError(
        "RE Manager is in the process of creating the RE Worker environment.",
      );
    }
    if (this.envExists) throw new RequestFailedError("RE Worker environment already exists.");
    this.#requireIdle();
    this.state = "creating_environment";
    this.envState = "initializing";
    this.#departure = null;
    this.log("Opening the RE Worker environment...");
    const worker = new WorkerProcess({
      profile: this.profile,
      dataDir: this.dataDir,
      onMessage: (m) => this.#onWorkerMessage(worker, m),
      onOutput: (text) => this.console.push(text),
      onExit: (code, signal) => this.#onWorkerExit(worker, code, signal),
    });
    this.worker = worker;
    this.changed();
  }

  async environmentClose(): Promise<void> {
    if (this.state === "executing_queue" || this.state === "paused") {
      throw new RequestFailedError("Queue execution is in progress.");
    }
    if (!this.envExists || !this.worker)
      throw new RequestFailedError("RE Worker environment does not exist.");
    this.#requireIdle();
    this.state = "closing_environment";
    this.#departure = "close";
    this.changed();
    void this.worker.close();
  }

  environmentDestroy(): void {
    if (!this.worker || (!this.envExists && this.state !== "creating_environment")) {
      throw new RequestFailedError("RE Worker environment does not exist.");
    }
    this.state = "destroying_environment";
    this.#departure = "destroy";
    this.changed();
    this.log("Destroying the RE Worker environment...");
    void this.worker.kill();
  }

  async close(): Promise<void> {
    clearInterval(this.#autostartTimer);
    const worker = this.worker;
    if (worker) {
      if (this.queue.running) await this.#abortRunning(worker);
      this.#departure = "close";
      await worker.close();
    }
    this.storage.close();
  }

  /**
   * Shutting down mid-plan: the plan is aborted, so that its cleanup runs (unstage, motors
   * stopped) and its run ends `abort`; the process is killed only if that takes over 5 s.
   */
  async #abortRunning(worker: WorkerProcess): Promise<void> {
    const reason = "the queue server is shutting down";
    this.log(`Aborting the running plan: ${reason}.`);
    const request =
      this.state === "paused"
        ? this.runner.reContinue("abort")
        : worker.call("abort_running", { option: reason });
    await request.catch(() => {});
    const end = Date.now() + 5000;
    while (this.queue.running && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  #requireIdle(): void {
    if (this.state !== "idle") throw new RequestFailedError("RE Manager is busy.");
  }

  #onWorkerMessage(worker: WorkerProcess, m: WorkerMessage): void {
    if (worker !== this.worker) return;
    switch (m.type) {
      case "ready":
        this.setLists(m.lists);
        this.envExists = true;
        if (this.state === "creating_environment") this.state = "idle";
        this.changed();
        this.runner.maybeAutostart();
        return;
      case "open_failed":
        this.log(`Failed to open the RE Worker environment: ${m.error}`);
        return;
      case "state":
        this.reState = m.re_state;
        this.envState = m.environment_state;
        this.changed();
        return;
      case "document":
        if (this.runs.track(m.name, m.doc)) this.changed();
        this.#deliverDocument(m.name, m.doc);
        if (m.ack !== undefined) this.#confirmDocuments(worker, m.ack);
        return;
      case "plan_exit":
        this.runner.finish(m.report);
        return;
      case "reply":
        return;
    }
  }

  /**
   * Gives a document to the "document" listeners. A listener that returns a promise (a catalog
   * commit) is waited for before the worker is told its documents were handled.
   */
  #deliverDocument(name: string, doc: unknown): void {
    // The raw listeners, called on this emitter as emit() would: a once() wrapper removes itself.
    for (const listener of this.rawListeners("document")) {
      const handled: unknown = (listener as (name: string, doc: unknown) => unknown).call(
        this,
        name,
        doc,
      );
      if (!(handled instanceof Promise)) continue;
      this.#handling.add(handled);
      const forget = () => this.#handling.delete(handled);
      handled.then(forget, forget);
    }
  }

  /** Tells the worker, once every document so far has been handled, that it may go on. */
  #confirmDocuments(worker: WorkerProcess, ack: number): void {
    void Promise.allSettled([...this.#handling]).then(() => worker.confirmDocuments(ack));
  }

  #onWorkerExit(worker: WorkerProcess, code: number | null, signal: string | null): void {
    if (worker !== this.worker) return;
    const departure = this.#departure;
    const reason =
      departure === "destroy"
        ? "RE Worker environment was destroyed"
        : departure === "close"
          ? "RE Worker environment was closed"
          : `RE Worker process exited unexpectedly (code ${code}, signal ${signal})`;
    // Every open run gets its stop document, so the catalog never keeps a run open forever.
    for (const stop of this.runs.closeOpenRuns(reason)) this.#deliverDocument("stop", stop);
    this.runner.workerGone(reason);
    if (departure !== "close") this.log(reason);
    this.worker = null;
    this.envExists = false;
    this.envState = "closed";
    this.reState = null;
    this.pausePending = false;
    this.state = "idle";
    this.changed();
  }
}
