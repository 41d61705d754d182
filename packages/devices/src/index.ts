// @cerulean/devices: Status, Signals with pluggable backends, Device trees, protocol guards.
// The protocol types are re-exported here too; the engine imports them from "./protocols".
export { AsyncStatus, type StatusTaskContext } from "./core/async-status.ts";
export { dataKeyFor, type SignalMetadata } from "./core/data-key.ts";
export { DerivedSignalBackend, derivedSignalR, type ReadingSource } from "./core/derived-signal.ts";
export { type ChildOptions, Device, type DeviceNode, type Kind } from "./core/device.ts";
export {
  DeviceStateError,
  DeviceStoppedError,
  DevicesError,
  FailedStatus,
  InvalidStatusStateError,
  InvalidValueError,
  LimitError,
  NotConnectedError,
  ReadOnlyError,
  StatusCancelledError,
  StatusTimeoutError,
  WaitTimeoutError,
} from "./core/errors.ts";
export {
  hasHints,
  hasName,
  isCheckable,
  isCollectable,
  isConfigurable,
  isEventCollectable,
  isEventPageCollectable,
  isFlyable,
  isLocatable,
  isMovable,
  isPausable,
  isPreparable,
  isReadable,
  isStageable,
  isStatus,
  isStoppable,
  isSubscribable,
  isTriggerable,
  isWritesExternalAssets,
  isWritesStreamAssets,
} from "./core/guards.ts";
export { type InitDevicesOptions, initDevices } from "./core/init-devices.ts";
export { MockSignalBackend } from "./core/mock-signal-backend.ts";
export { observeValue, waitForValue } from "./core/observe.ts";
export { type ConnectOptions, DEFAULT_TIMEOUT, Signal, SignalR } from "./core/signal.ts";
export type { MockDefaults, ReadingCallback, SignalBackend } from "./core/signal-backend.ts";
export { SignalRW, SignalW, SignalX } from "./core/signal-rw.ts";
export { SimSignalBackend, type SimSignalOptions } from "./core/sim-signal-backend.ts";
export { softSignalRAndSetter, softSignalRW } from "./core/soft-signal.ts";
export { SoftSignalBackend } from "./core/soft-signal-backend.ts";
export { StandardReadable } from "./core/standard-readable.ts";
export { completedStatus, failedStatus, StatusBase, type StatusOptions } from "./core/status.ts";
export { now, sleep } from "./core/time.ts";
export type {
  AnyIterable,
  Asset,
  Checkable,
  Collectable,
  Configurable,
  DataKeys,
  DeviceHints,
  EventCollectable,
  EventPageCollectable,
  Flyable,
  HasHints,
  HasName,
  HasParent,
  Locatable,
  Location,
  Movable,
  Pausable,
  Preparable,
  Readable,
  Reading,
  Readings,
  ReadingsCallback,
  SetOptions,
  Stageable,
  Status,
  StatusCallback,
  StopOptions,
  Stoppable,
  StreamAsset,
  Subscribable,
  Triggerable,
  WatchableStatus,
  Watcher,
  WatcherUpdate,
  WritesExternalAssets,
  WritesStreamAssets,
} from "./protocols/index.ts";
