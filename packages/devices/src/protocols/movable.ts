import type { Status } from "./status.ts";

/** Options accepted by `set`. */
export interface SetOptions {
  /** Seconds before the move fails with a timeout (no timeout when omitted). */
  timeout?: number;
  /** Whether to wait for the readback (default true); false returns once the request is sent. */
  wait?: boolean;
}

/** Can be driven to a value (a motor position, a temperature, a gain). */
export interface Movable<T = unknown> {
  /** Starts moving to `value`; the Status finishes when it gets there (or fails, naming why). */
  set(value: T, options?: SetOptions): Status;
}

/** Where a Locatable is asked to be and where it is. */
export interface Location<T = unknown> {
  setpoint: T;
  readback: T;
}

/** A Movable that can say where it is. */
export interface Locatable<T = unknown> extends Movable<T> {
  locate(): Promise<Location<T>>;
}
