import type { HasName } from "./has-name.ts";
import type { Readings } from "./reading.ts";

/** Receives the readings of a Subscribable on every change. */
export type ReadingsCallback = (readings: Readings) => void;

/** Can be monitored: calls back with fresh readings (same keys as `read()`) on each change. */
export interface Subscribable extends HasName {
  /** Calls `callback` at once with the current readings, then on every update; returns an unsubscribe function. */
  subscribe(callback: ReadingsCallback): () => void;
  /** Removes a callback given to `subscribe` (same as calling the function it returned). */
  clearSub(callback: ReadingsCallback): void;
}
