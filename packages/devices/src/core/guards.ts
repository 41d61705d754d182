// Runtime checks for the device protocols (duck typing, as Python's runtime_checkable).
// Kept out of protocols/ so that folder stays type-only for the engine.
import type { WritesExternalAssets, WritesStreamAssets } from "../protocols/assets.ts";
import type { Checkable } from "../protocols/checkable.ts";
import type {
  Collectable,
  EventCollectable,
  EventPageCollectable,
} from "../protocols/collectable.ts";
import type { Flyable } from "../protocols/flyable.ts";
import type { HasHints } from "../protocols/has-hints.ts";
import type { HasName } from "../protocols/has-name.ts";
import type { Locatable, Movable } from "../protocols/movable.ts";
import type { Pausable } from "../protocols/pausable.ts";
import type { Preparable } from "../protocols/preparable.ts";
import type { Configurable, Readable } from "../protocols/readable.ts";
import type { Stageable } from "../protocols/stageable.ts";
import type { Status } from "../protocols/status.ts";
import type { Stoppable } from "../protocols/stoppable.ts";
import type { Subscribable } from "../protocols/subscribable.ts";
import type { Triggerable } from "../protocols/triggerable.ts";

function hasMethods(x: unknown, ...names: string[]): boolean {
  if (typeof x !== "object" || x === null) return false;
  const record = x as Record<string, unknown>;
  return names.every((name) => typeof record[name] === "function");
}

export function hasName(x: unknown): x is HasName {
  return typeof x === "object" && x !== null && typeof (x as { name?: unknown }).name === "string";
}

export const isReadable = (x: unknown): x is Readable =>
  hasName(x) && hasMethods(x, "read", "describe");
export const isConfigurable = (x: unknown): x is Configurable =>
  hasName(x) && hasMethods(x, "readConfiguration", "describeConfiguration");
export const isTriggerable = (x: unknown): x is Triggerable => hasMethods(x, "trigger");
// Named: a bare `set` method is too common (Map, Set-like caches) to mean a device.
export const isMovable = (x: unknown): x is Movable => hasName(x) && hasMethods(x, "set");
export const isLocatable = (x: unknown): x is Locatable =>
  hasName(x) && hasMethods(x, "set", "locate");
export const isStoppable = (x: unknown): x is Stoppable => hasMethods(x, "stop");
export const isPausable = (x: unknown): x is Pausable => hasMethods(x, "pause", "resume");
export const isStageable = (x: unknown): x is Stageable => hasMethods(x, "stage", "unstage");
export const isFlyable = (x: unknown): x is Flyable =>
  hasName(x) && hasMethods(x, "kickoff", "complete");
export const isCollectable = (x: unknown): x is Collectable =>
  hasName(x) && hasMethods(x, "describeCollect");
export const isEventCollectable = (x: unknown): x is EventCollectable =>
  isCollectable(x) && hasMethods(x, "collect");
export const isEventPageCollectable = (x: unknown): x is EventPageCollectable =>
  isCollectable(x) && hasMethods(x, "collectPages");
export const isWritesStreamAssets = (x: unknown): x is WritesStreamAssets =>
  hasMethods(x, "collectAssetDocs", "getIndex");
/** Resource/Datum writers: `collectAssetDocs` without `getIndex`. */
export const isWritesExternalAssets = (x: unknown): x is WritesExternalAssets =>
  hasMethods(x, "collectAssetDocs") && !hasMethods(x, "getIndex");
export const isPreparable = (x: unknown): x is Preparable => hasMethods(x, "prepare");
export const isSubscribable = (x: unknown): x is Subscribable =>
  hasName(x) && hasMethods(x, "subscribe", "clearSub");
export const isCheckable = (x: unknown): x is Checkable => hasMethods(x, "checkValue");
export const hasHints = (x: unknown): x is HasHints =>
  typeof x === "object" && x !== null && "hints" in x;
/** A Status (not any promise): awaitable and with `addCallback`. */
export const isStatus = (x: unknown): x is Status =>
  hasMethods(x, "then", "addCallback", "wait") && typeof (x as Status).done === "boolean";
