// @cerulean/queueserver: the Bluesky queue server (RE manager, worker process, persistent queue,
// bluesky-httpserver compatible HTTP + WebSocket API).
export { type ClientOptions, type ClientReply, QueueServerClient } from "./client.ts";
export {
  ConfigurationError,
  HttpError,
  MotorLimitError,
  PlanValidationError,
  ProfileError,
  QueueServerError,
  QueueStorageWriteError,
  RequestFailedError,
  SpreadsheetError,
  StorageInUseError,
  WorkerError,
  WorkerTimeoutError,
} from "./errors.ts";
export {
  type Principal,
  ROLE_SCOPES,
  type Role,
  requestAllows,
  type SecurityOptions,
  type UserEntry,
} from "./http/auth.ts";
export { ROUTES, type RouteSpec } from "./http/routes.ts";
export { checkBinding, createHttpApp, type HttpAppOptions, isLoopback } from "./http/server.ts";
export {
  type AgentLimits,
  type AgentRecord,
  AgentRegistry,
  type MotorLimits,
} from "./manager/agents.ts";
export { callMethod, METHODS } from "./manager/api.ts";
export { ConsoleBuffer, type ConsoleMessage } from "./manager/console-buffer.ts";
export {
  DEFAULT_PERMISSIONS,
  type GroupPermissions,
  type UserGroupPermissions,
} from "./manager/permissions.ts";
export { REManager, type REManagerOptions } from "./manager/re-manager.ts";
export { MANAGER_VERSION } from "./manager/status.ts";
export { TaskRegistry, type TaskResult } from "./manager/tasks.ts";
export { mergeMeta, validatePlan } from "./manager/validation.ts";
export type {
  DeviceDescription,
  ExistingLists,
  ParamDescription,
  PlanDescription,
} from "./profiles/describe.ts";
export { loadProfile } from "./profiles/load-profile.ts";
export type {
  Environment,
  EnvironmentFunction,
  ParamKind,
  ParamSpec,
  PlanSpec,
  Profile,
  ProfileOptions,
} from "./profiles/profile.ts";
export { simPlans, simProfile } from "./profiles/sim-profile.ts";
export { type Placement, PlanQueue } from "./queue/plan-queue.ts";
export { insertIndex, type Position } from "./queue/positions.ts";
export {
  RedisQueueStorage,
  type RedisQueueStorageOptions,
} from "./queue/redis/redis-queue-storage.ts";
export { SqliteQueueStorage } from "./queue/sqlite/sqlite-queue-storage.ts";
export type { QueueStorage } from "./queue/storage.ts";
export { type QueueServer, type QueueServerOptions, startQueueServer } from "./queue-server.ts";
export { spreadsheetToItems } from "./spreadsheet/spreadsheet-items.ts";
export type {
  Approval,
  ExitStatusName,
  ItemResult,
  LockState,
  ManagerState,
  QueueItem,
  QueueMode,
  RunInfo,
} from "./types.ts";
export type { DryRunResult } from "./worker/dry-run.ts";
