// The HTTP routes of bluesky-httpserver: method, path, manager method, scope, and which
// caller fields the server fills in (clients never choose their own user or group).

export interface RouteSpec {
  method: "GET" | "POST";
  url: string;
  api: string;
  scope: string;
  /** Fill in `user` and `user_group` from the caller. */
  inject?: "user_and_group" | "user" | "group";
  /** Fixed parameters (e.g. re_runs/active). */
  fixed?: Record<string, unknown>;
}

const r = (
  method: "GET" | "POST",
  url: string,
  api: string,
  scope: string,
  extra: Partial<RouteSpec> = {},
): RouteSpec => ({
  method,
  url,
  api,
  scope,
  ...extra,
});

export const ROUTES: RouteSpec[] = [
  r("GET", "/api", "ping", "read:status"),
  r("GET", "/api/", "ping", "read:status"),
  r("GET", "/api/ping", "ping", "read:status"),
  r("GET", "/api/status", "status", "read:status"),
  r("GET", "/api/config/get", "config_get", "read:config"),
  r("GET", "/api/queue/get", "queue_get", "read:queue"),
  r("POST", "/api/queue/item/add", "queue_item_add", "write:queue:edit", {
    inject: "user_and_group",
  }),
  r("POST", "/api/queue/item/add/batch", "queue_item_add_batch", "write:queue:edit", {
    inject: "user_and_group",
  }),
  r("POST", "/api/queue/item/update", "queue_item_update", "write:queue:edit", {
    inject: "user_and_group",
  }),
  r("GET", "/api/queue/item/get", "queue_item_get", "read:queue"),
  r("POST", "/api/queue/item/remove", "queue_item_remove", "write:queue:edit"),
  r("POST", "/api/queue/item/remove/batch", "queue_item_remove_batch", "write:queue:edit"),
  r("POST", "/api/queue/item/move", "queue_item_move", "write:queue:edit"),
  r("POST", "/api/queue/item/move/batch", "queue_item_move_batch", "write:queue:edit"),
  r("POST", "/api/queue/item/execute", "queue_item_execute", "write:execute", {
    inject: "user_and_group",
  }),
  r("POST", "/api/queue/item/approve", "queue_item_approve", "write:queue:edit", {
    inject: "user",
  }),
  r("POST", "/api/queue/item/deny", "queue_item_deny", "write:queue:edit", { inject: "user" }),
  r("POST", "/api/queue/clear", "queue_clear", "write:queue:edit"),
  r("POST", "/api/queue/mode/set", "queue_mode_set", "write:queue:control"),
  r("POST", "/api/queue/start", "queue_start", "write:queue:control"),
  r("POST", "/api/queue/stop", "queue_stop", "write:queue:control"),
  r("POST", "/api/queue/stop/cancel", "queue_stop_cancel", "write:queue:control"),
  r("POST", "/api/queue/autostart", "queue_autostart", "write:queue:control"),
  r("GET", "/api/history/get", "history_get", "read:history"),
  r("POST", "/api/history/clear", "history_clear", "write:history:edit"),
  r("POST", "/api/environment/open", "environment_open", "write:manager:control"),
  r("POST", "/api/environment/close", "environment_close", "write:manager:control"),
  r("POST", "/api/environment/destroy", "environment_destroy", "write:manager:control"),
  r("POST", "/api/environment/update", "environment_update", "write:queue:control"),
  r("POST", "/api/re/pause", "re_pause", "write:plan:control"),
  r("POST", "/api/re/resume", "re_resume", "write:plan:control"),
  r("POST", "/api/re/stop", "re_stop", "write:plan:control"),
  r("POST", "/api/re/abort", "re_abort", "write:plan:control"),
  r("POST", "/api/re/halt", "re_halt", "write:plan:control"),
  r("POST", "/api/re/runs", "re_runs", "read:monitor"),
  r("GET", "/api/re/runs/active", "re_runs", "read:monitor", { fixed: { option: "active" } }),
  r("GET", "/api/re/runs/open", "re_runs", "read:monitor", { fixed: { option: "open" } }),
  r("GET", "/api/re/runs/closed", "re_runs", "read:monitor", { fixed: { option: "closed" } }),
  r("GET", "/api/re/metadata", "re_metadata", "read:monitor"),
  r("GET", "/api/plans/allowed", "plans_allowed", "read:resources", { inject: "group" }),
  r("GET", "/api/devices/allowed", "devices_allowed", "read:resources", { inject: "group" }),
  r("GET", "/api/plans/existing", "plans_existing", "read:resources"),
  r("GET", "/api/devices/existing", "devices_existing", "read:resources"),
  r("GET", "/api/permissions/get", "permissions_get", "read:config"),
  r("POST", "/api/permissions/set", "permissions_set", "write:permissions"),
  r("POST", "/api/permissions/reload", "permissions_reload", "write:config"),
  r("POST", "/api/lock", "lock", "write:lock", { inject: "user" }),
  r("GET", "/api/lock/info", "lock_info", "read:lock"),
  r("POST", "/api/script/upload", "script_upload", "write:scripts"),
  r("POST", "/api/function/execute", "function_execute", "write:execute", {
    inject: "user_and_group",
  }),
  r("GET", "/api/task/status", "task_status", "read:monitor"),
  r("GET", "/api/task/result", "task_result", "read:monitor"),
  r("POST", "/api/kernel/interrupt", "kernel_interrupt", "write:queue:control"),
  r("POST", "/api/manager/stop", "manager_stop", "write:manager:stop"),
  r("POST", "/api/test/manager/kill", "manager_kill", "write:testing"),
  r("GET", "/api/test/server/sleep", "test_server_sleep", "read:testing"),
  r("POST", "/api/queue/dry_run", "queue_dry_run", "read:queue", { inject: "user_and_group" }),
  r("POST", "/api/agent/register", "agent_register", "write:config"),
  r("GET", "/api/agent/list", "agent_list", "read:queue"),
  r("POST", "/api/unlock", "unlock", "write:lock"),
];
