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
  result?: ItemResult;
}

/** How a plan ended. */
export type ExitStatusName = "completed" | "failed" | "stopped" | "aborted" | "halted" | "unknown";

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
] as const;
