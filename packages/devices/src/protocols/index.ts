// The device protocols: the engine's contract with hardware. Types only, so the engine can
// `import type` them and never load a device.
export type { Asset, StreamAsset, WritesExternalAssets, WritesStreamAssets } from "./assets.ts";
export type { Checkable } from "./checkable.ts";
export type {
  AnyIterable,
  Collectable,
  EventCollectable,
  EventPageCollectable,
} from "./collectable.ts";
export type { Flyable } from "./flyable.ts";
export type { DeviceHints, HasHints } from "./has-hints.ts";
export type { HasName, HasParent } from "./has-name.ts";
export type { Locatable, Location, Movable, SetOptions } from "./movable.ts";
export type { Pausable } from "./pausable.ts";
export type { Preparable } from "./preparable.ts";
export type { Configurable, Readable } from "./readable.ts";
export type { DataKeys, Reading, Readings } from "./reading.ts";
export type { Stageable } from "./stageable.ts";
export type { Status, StatusCallback, WatchableStatus, Watcher, WatcherUpdate } from "./status.ts";
export type { StopOptions, Stoppable } from "./stoppable.ts";
export type { ReadingsCallback, Subscribable } from "./subscribable.ts";
export type { Triggerable } from "./triggerable.ts";
