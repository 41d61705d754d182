// The status reply: every key bluesky-queueserver's status has, built from memory only so a
// status request never touches storage.
import type { REManager } from "./re-manager.ts";

export const MANAGER_VERSION = "0.1.0";

export function buildStatus(m: REManager, statusUid: string): Record<string, unknown> {
  return {
    msg: `RE Manager v${MANAGER_VERSION}`,
    time: new Date().toISOString(),
    items_in_queue: m.queue.size,
    items_in_history: m.queue.history.length,
    running_item_uid: m.queue.running?.item_uid ?? null,
    manager_state: m.state,
    queue_stop_pending: m.stopPending,
    queue_autostart_enabled: m.autostart,
    worker_environment_exists: m.envExists,
    worker_environment_state: m.envState,
    worker_background_tasks: m.tasks.background,
    re_state: m.reState,
    ip_kernel_state: m.envExists ? "disabled" : null,
    ip_kernel_captured: m.envExists ? false : null,
    pause_pending: m.pausePending,
    approval_pending: m.runner.approvalHold,
    status_uid: statusUid,
    run_list_uid: m.runs.uid,
    plan_queue_uid: m.queue.planQueueUid,
    plan_history_uid: m.queue.planHistoryUid,
    devices_existing_uid: m.listsUid,
    plans_existing_uid: m.listsUid,
    devices_allowed_uid: m.permissionsUid,
    plans_allowed_uid: m.permissionsUid,
    plan_queue_mode: { ...m.mode },
    task_results_uid: m.tasks.uid,
    lock_info_uid: m.lock.uid,
    lock: { environment: m.lock.environment, queue: m.lock.queue },
  };
}
