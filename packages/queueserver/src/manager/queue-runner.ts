// Queue execution: takes items from the front, runs plans in the worker, applies the queue
// modes to how they end, holds at an agent's item awaiting approval, and enforces the agents'
// run limits before each start.
import { RequestFailedError, WorkerTimeoutError } from "../errors.ts";
import { historyItem } from "../queue/history-item.ts";
import { withNewUid } from "../queue/plan-queue.ts";
import type { QueueItem } from "../types.ts";
import type { PlanReport } from "../worker/protocol.ts";
import type { REManager } from "./re-manager.ts";

/** Drives the queue of one manager (its state, queue and worker). */
export class QueueRunner {
  readonly #m: REManager;
  /** Uid of the front item the started queue waits on for approval, or null. */
  approvalHold: string | null = null;
  /** Ends the running agent item when the agent's max_total_time runs out. */
  #timeLimit: NodeJS.Timeout | undefined;

  constructor(manager: REManager) {
    this.#m = manager;
  }

  queueStart(): void {
    const m = this.#m;
    if (!m.envExists) throw new RequestFailedError("RE Worker environment does not exist.");
    if (m.state !== "idle") throw new RequestFailedError("RE Manager is busy.");
    m.state = "executing_queue";
    m.changed();
    void this.runNext();
  }

  queueStop(): void {
    const m = this.#m;
    // As upstream: not while paused (resume, then stop the queue; or stop the plan itself).
    if (m.state !== "executing_queue" && m.state !== "starting_queue") {
      throw new RequestFailedError("Failed to pause the queue: queue is not running.");
    }
    // An item run with queue/item/execute is not the queue: a stop request would outlive it and
    // silently end the next queue_start.
    if (m.queue.running?.properties?.["immediate_execution"] === true) {
      throw new RequestFailedError("Failed to pause the queue: queue is not running.");
    }
    // Held at an item awaiting approval: nothing runs, so the stop takes effect now.
    if (this.approvalHold !== null && !m.queue.running)
      this.stopQueue("Queue is stopped while waiting for approval.");
    else m.setStopPending(true);
  }

  /** Runs one item now, outside the queue. */
  async executeItem(item: QueueItem): Promise<void> {
    const m = this.#m;
    if (!m.envExists) throw new RequestFailedError("RE Worker environment does not exist.");
    if (m.state !== "idle") throw new RequestFailedError("RE Manager is busy.");
    if (item.item_type === "instruction") return;
    const running: QueueItem = {
      ...item,
      properties: { ...item.properties, time_start: Date.now() / 1000, immediate_execution: true },
    };
    m.state = "executing_queue";
    await this.#startPlan(running);
  }

  async rePause(option: "deferred" | "immediate"): Promise<void> {
    const m = this.#m;
    const worker = m.worker;
    if (m.state !== "executing_queue" || !m.queue.running || !worker) {
      throw new RequestFailedError(
        "Run Engine must be in 'running' state to pause the plan (no plan is running).",
      );
    }
    await workerCall(() => worker.call("pause", { option }));
    if (option === "deferred") {
      m.pausePending = true;
      m.changed();
    }
  }

  async reContinue(option: "resume" | "stop" | "abort" | "halt"): Promise<void> {
    const m = this.#m;
    const worker = m.worker;
    if (m.state !== "paused" || !worker) {
      throw new RequestFailedError(
        `RE Manager must be in 'paused' state to ${option} a plan (it is '${m.state}').`,
      );
    }
    m.state = "executing_queue";
    m.changed();
    try {
      await workerCall(() => worker.call(option, {}));
    } catch (err) {
      m.state = "paused";
      m.changed();
      throw err;
    }
  }

  maybeAutostart(): void {
    const m = this.#m;
    if (m.autostart && m.state === "idle" && m.envExists && m.queue.size > 0) {
      try {
        this.queueStart();
      } catch {
        // retried on the next edit or tick
      }
    }
  }

  /** After a queue edit: a held queue looks at its (maybe new, maybe approved) front again. */
  queueEdited(): void {
    const m = this.#m;
    if (this.approvalHold !== null && m.state === "executing_queue" && !m.queue.running)
      void this.runNext();
    else this.maybeAutostart();
  }

  stopQueue(message?: string): void {
    const m = this.#m;
    if (message) m.log(message);
    if (m.stopPending) m.setStopPending(false);
    if (m.autostart) m.setAutostart(false);
    m.pausePending = false;
    this.approvalHold = null;
    m.state = "idle";
    m.changed();
  }

  /** Adds a finished item to history and counts it for its agent. */
  toHistory(item: QueueItem): void {
    const m = this.#m;
    m.queue.addToHistory(item);
    const r = item.result;
    if (item.agent && r && r.exit_status !== "denied") {
      m.agents.recordRun(item.agent, r.exit_status === "unknown" ? 0 : r.time_stop - r.time_start);
    }
  }

  async runNext(): Promise<void> {
    const m = this.#m;
    if (m.state !== "executing_queue" || m.queue.running) return;
    if (m.stopPending) return this.stopQueue("Queue is stopped.");
    const front = m.queue.items[0];
    if (front?.approval === "pending") {
      if (this.approvalHold !== front.item_uid) {
        this.approvalHold = front.item_uid;
        m.log(
          `Queue is waiting for approval of item '${front.item_uid}' (plan '${front.name}', agent '${front.agent}')`,
        );
        m.changed();
      }
      return;
    }
    this.approvalHold = null;
    const item = m.queue.startFront();
    if (!item) {
      m.state = "idle";
      m.changed();
      return;
    }
    if (item.item_type === "instruction") {
      if (m.mode.loop) m.queue.pushBack(withNewUid(item));
      m.changed();
      if (item.name === "queue_stop")
        return this.stopQueue("Queue is stopped by the 'queue_stop' instruction.");
      return this.runNext();
    }
    const running = { ...item, properties: { ...item.properties, time_start: Date.now() / 1000 } };
    if (item.agent) {
      try {
        m.agents.checkStart(item.agent);
      } catch (err) {
        // It never ran and never can under these limits: history only, not re-queued.
        m.queue.addToHistory(
          historyItem(running, { exit_status: "failed", msg: (err as Error).message }),
        );
        if (m.mode.ignore_failures) return this.runNext();
        return this.stopQueue(`Queue is stopped: ${(err as Error).message}`);
      }
    }
    await this.#startPlan(running);
  }

  async #startPlan(running: QueueItem): Promise<void> {
    const m = this.#m;
    m.queue.setRunning(running);
    m.runs.reset();
    m.changed();
    const motors = running.agent ? m.agents.get(running.agent).limits.motors : undefined;
    this.#armTimeLimit(running);
    try {
      await m.worker?.call("run_plan", { item: running, ...(motors ? { motors } : {}) });
    } catch (err) {
      if (err instanceof WorkerTimeoutError && m.worker) {
        // No answer: the plan may be running all the same. Recording it as failed and queueing
        // a copy could run it twice; the worker is ended instead, and its exit is handled as a
        // crash (the item to history as failed, a copy back at the front, open runs closed).
        m.log(`${(err as Error).message}; the worker is stopped so the plan cannot run twice.`);
        void m.worker.kill();
        return;
      }
      // The worker could not start it (gone, or refused): recorded as a failure.
      if (m.queue.running?.item_uid === running.item_uid) {
        this.finish({
          plan_state: "failed",
          run_uids: [],
          scan_ids: [],
          err_msg: (err as Error).message,
          traceback: "",
          pause_pending: false,
        });
      }
    }
  }

  /** Applies how the running plan ended (or paused). */
  finish(report: PlanReport): void {
    const m = this.#m;
    const running = m.queue.running;
    if (!running) return;
    if (report.plan_state === "paused") {
      m.state = "paused";
      m.pausePending = false;
      m.changed();
      return;
    }
    clearTimeout(this.#timeLimit);
    const immediate = running.properties?.["immediate_execution"] === true;
    m.queue.setRunning(null);
    this.toHistory(
      historyItem(running, { ...report, exit_status: report.plan_state, msg: report.err_msg }),
    );
    if (immediate) {
      m.pausePending = false;
      if (m.stopPending) m.setStopPending(false);
      m.state = "idle";
      m.changed();
      return;
    }
    const state = report.plan_state;
    if (m.mode.loop && (state === "completed" || state === "stopped"))
      m.queue.pushBack(withNewUid(running));
    if (state === "failed" && m.mode.ignore_failures) {
      void this.runNext();
    } else if (state === "failed" || state === "aborted" || state === "halted") {
      m.queue.pushFront(withNewUid(running));
      this.stopQueue(`Queue is stopped: the plan '${running.name}' ${state}.`);
    } else if (state === "stopped") {
      this.stopQueue("Queue is stopped: the plan was stopped.");
    } else if (report.pause_pending || m.pausePending) {
      this.stopQueue("Queue is stopped due to unresolved outstanding RE pause request");
    } else {
      m.changed();
      void this.runNext();
    }
  }

  /**
   * The worker is gone: the running item goes to history as failed, with the runs it started,
   * and back to the front; a queue it stopped does not autostart again on the next open.
   */
  workerGone(reason: string): void {
    const m = this.#m;
    const running = m.queue.running;
    if (running) {
      const immediate = running.properties?.["immediate_execution"] === true;
      m.queue.setRunning(null);
      const runs = m.runs.list;
      this.toHistory(
        historyItem(running, {
          exit_status: "failed",
          msg: reason,
          run_uids: runs.map((r) => r.uid),
          scan_ids: runs.flatMap((r) => (r.scan_id === null ? [] : [r.scan_id])),
        }),
      );
      if (!immediate) {
        m.queue.pushFront(withNewUid(running));
        if (m.autostart) m.setAutostart(false);
      }
    }
    this.approvalHold = null;
    clearTimeout(this.#timeLimit);
    // The queue stops with the environment: a stop request has nothing left to stop.
    if (m.stopPending) m.setStopPending(false);
  }

  #armTimeLimit(running: QueueItem): void {
    clearTimeout(this.#timeLimit);
    const agent = running.agent ? this.#m.agents.get(running.agent) : undefined;
    const max = agent?.limits.max_total_time;
    if (agent === undefined || max === undefined) return;
    const left = Math.max(0, max - agent.time_used);
    this.#timeLimit = setTimeout(() => this.#timeUp(running, agent.name, max), left * 1000);
    this.#timeLimit.unref();
  }

  /** The agent's run time is used up: the running item is aborted (cleanup runs). */
  #timeUp(running: QueueItem, name: string, max: number): void {
    const m = this.#m;
    if (m.queue.running?.item_uid !== running.item_uid) return;
    const reason = `Agent '${name}' reached its max_total_time limit of ${max} s`;
    m.log(reason);
    if (m.state === "paused") this.reContinue("abort").catch(() => {});
    else m.worker?.call("abort_running", { option: reason }).catch(() => {});
  }
}

async function workerCall(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (err) {
    throw new RequestFailedError((err as Error).message);
  }
}
