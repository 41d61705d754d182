// Tasks run in the worker outside the queue (functions, environment updates): their status
// and results for task_status / task_result, kept a while after they complete.
import { randomUUID } from "node:crypto";

/** A completed task's result (bluesky-queueserver's keys). */
export interface TaskResult {
  task_uid: string;
  success: boolean;
  msg: string;
  traceback: string;
  return_value: unknown;
  time_start: number;
  time_stop: number;
}

type Task =
  | {
      status: "running";
      result: { task_uid: string; start_time: number; run_in_background: boolean };
    }
  | { status: "completed"; result: TaskResult; completedAt: number };

/** How long completed results are kept (upstream keeps them at least 120 s). */
const KEEP_MS = 600_000;

/** The tasks of one manager. */
export class TaskRegistry {
  /** task_results_uid: changes whenever a task completes. */
  uid = randomUUID();
  readonly #tasks = new Map<string, Task>();

  /** Number of background tasks still running (status `worker_background_tasks`). */
  get background(): number {
    let n = 0;
    for (const t of this.#tasks.values())
      if (t.status === "running" && t.result.run_in_background) n++;
    return n;
  }

  start(taskUid: string, runInBackground: boolean): void {
    this.#prune();
    this.#tasks.set(taskUid, {
      status: "running",
      result: {
        task_uid: taskUid,
        start_time: Date.now() / 1000,
        run_in_background: runInBackground,
      },
    });
  }

  complete(
    taskUid: string,
    outcome: { success: boolean; msg: string; traceback?: string; return_value?: unknown },
  ): void {
    const running = this.#tasks.get(taskUid);
    const timeStart = running?.status === "running" ? running.result.start_time : Date.now() / 1000;
    this.#tasks.set(taskUid, {
      status: "completed",
      completedAt: Date.now(),
      result: {
        task_uid: taskUid,
        success: outcome.success,
        msg: outcome.msg,
        traceback: outcome.traceback ?? "",
        return_value: outcome.return_value ?? null,
        time_start: timeStart,
        time_stop: Date.now() / 1000,
      },
    });
    this.uid = randomUUID();
  }

  status(taskUid: string): "running" | "completed" | "not_found" {
    return this.#tasks.get(taskUid)?.status ?? "not_found";
  }

  /** `{}` when unknown. */
  result(taskUid: string): Record<string, unknown> {
    return { ...(this.#tasks.get(taskUid)?.result ?? {}) };
  }

  #prune(): void {
    const now = Date.now();
    for (const [uid, t] of this.#tasks)
      if (t.status === "completed" && now - t.completedAt > KEEP_MS) this.#tasks.delete(uid);
  }
}
