/** Called once when a Status finishes, successfully or not (at once if it already has). */
export type StatusCallback = (status: Status) => void;

/**
 * The progress of an operation (a move, an acquisition), for progress bars.
 * Times are in seconds; `fraction` is the part still to go: 1 at the start, 0 when there.
 */
export interface WatcherUpdate<T = number> {
  /** The device or signal moving. */
  name?: string;
  current: T;
  initial: T;
  target: T;
  unit?: string;
  precision?: number;
  fraction?: number;
  timeElapsed?: number;
  timeRemaining?: number;
}

/** Receives progress updates of a Status. */
export type Watcher<T = number> = (update: WatcherUpdate<T>) => void;

/**
 * The result of an operation that takes time (ophyd's StatusBase): awaitable
 * (`await status` resolves on success and rejects with the failure), and pollable.
 */
export interface Status extends PromiseLike<void> {
  /** True once finished, successfully or not. */
  readonly done: boolean;
  /** True once finished without an error. */
  readonly success: boolean;
  /** The failure, once finished unsuccessfully; `undefined` while running or on success. */
  readonly exception: Error | undefined;
  /** Calls `callback(status)` once on completion; at once if already done. */
  addCallback(callback: StatusCallback): void;
  /**
   * Resolves when done; rejects with the failure, or after `timeout` seconds with a wait
   * timeout error (the operation itself goes on).
   */
  wait(timeout?: number): Promise<void>;
}

/** A Status that reports progress (moves, acquisitions). */
export interface WatchableStatus<T = number> extends Status {
  /** Calls `watcher` on every progress update until done; returns a function to stop watching. */
  watch(watcher: Watcher<T>): () => void;
}
