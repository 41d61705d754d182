// Messages between the manager and the worker process (Node IPC, structured clone).
import type { MotorLimits } from "../manager/agents.ts";
import type { ExistingLists } from "../profiles/describe.ts";
import type { QueueItem } from "../types.ts";

/** What the manager asks of the worker. */
export type WorkerMethod =
  | "run_plan"
  | "pause"
  | "resume"
  | "stop"
  | "abort"
  | "halt"
  | "close"
  | "execute_function"
  | "environment_update"
  | "re_metadata"
  | "dry_run"
  | "abort_running";

export interface WorkerCall {
  type: "call";
  id: number;
  method: WorkerMethod;
  params: {
    item?: QueueItem;
    option?: string;
    /** An agent's motor limits, enforced on every `set` of the item's plan. */
    motors?: MotorLimits;
    /** A task that does not hold the environment (it stays "idle"). */
    run_in_background?: boolean;
    /** Items to dry-run, each with its agent's motor limits. */
    items?: { item: QueueItem; motors?: MotorLimits }[];
  };
}

/** How a plan ended (or paused) in the worker. */
export interface PlanReport {
  plan_state: "completed" | "paused" | "failed" | "stopped" | "aborted" | "halted";
  run_uids: string[];
  scan_ids: number[];
  err_msg: string;
  traceback: string;
  /** A deferred pause was still outstanding when the plan ended. */
  pause_pending: boolean;
}

/** What the worker tells the manager. */
export type WorkerMessage =
  | { type: "reply"; id: number; ok: boolean; result?: unknown; error?: string }
  | { type: "ready"; lists: ExistingLists }
  | { type: "open_failed"; error: string }
  | { type: "state"; re_state: string; environment_state: string }
  /** `ack`: the worker waits (its plan paused) until the manager confirms this document. */
  | { type: "document"; name: string; doc: unknown; ack?: number }
  | { type: "plan_exit"; report: PlanReport };

/** The manager's confirmation that every document up to the one asking for `ack` was handled. */
export interface DocumentAck {
  type: "document_ack";
  ack: number;
}

/** Environment variables that configure the worker. */
export const WORKER_ENV = {
  profile: "CERULEAN_QS_PROFILE",
  dataDir: "CERULEAN_QS_DATA_DIR",
  /** Rows (events, datums) the worker sends before it waits for the manager (default 50,000). */
  documentHighWater: "CERULEAN_QS_DOCUMENT_HIGH_WATER",
} as const;
