// The wire shapes of the queue server (bluesky-queueserver's names, kept exactly).

/** A queue, running or history item. */
export interface QueueItem {
  item_type: "plan" | "instruction" | "function";
  name: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  meta?: Record<string, unknown> | Record<string, unknown>[];
  item_uid: string;
  user?: string;
  user_group?: string;
  properties?: Record<string, unknown>;
  /** The registered agent that submitted the item (set by the server from the `agent` param). */
  agent?: string;
  /** Human approval of an agent's item: the queue holds at a "pending" front item. */
  approval?: Approval;
  result?: ItemResult;
}

/** Approval state of an agent's item ("denied" only in history). */
export type Approval = "pending" | "approved" | "denied";

/** How a plan ended. */
export type ExitStatusName =
  | "completed"
  | "failed"
  | "stopped"
  | "aborted"
  | "halted"
  | "unknown"
  | "denied";

/** The `result` of a history item. */
export interface ItemResult {
  exit_status: ExitStatusName;
  run_uids: string[];
  scan_ids: number[];
  time_start: number;
  time_stop: number;
  msg: string;
  traceback: string;
}

/** Queue execution options. */
export interface QueueMode {
  loop: boolean;
  ignore_failures: boolean;
}

/** The stored lock (the key is kept; `lock_info` replies leave it out). */
export interface LockState {
  environment: boolean;
  queue: boolean;
  lock_key: string | null;
  user: string | null;
  note: string | null;
  time: number | null;
}

/** One run of the run list (`re_runs`). */
export interface RunInfo {
  uid: string;
  scan_id: number | null;
  is_open: boolean;
  exit_status: string | null;
}

/** Manager states (bluesky-queueserver's strings). */
export type ManagerState =
  | "initializing"
  | "idle"
  | "paused"
  | "creating_environment"
  | "starting_queue"
  | "executing_queue"
  | "executing_task"
  | "closing_environment"
  | "destroying_environment";

/** The keys kept when an item is added or updated. */
export const ITEM_KEYS = [
  "item_uid",
  "item_type",
  "name",
  "args",
  "kwargs",
  "meta",
  "user",
  "user_group",
  "properties",
  "agent",
  "approval",
] as const;
