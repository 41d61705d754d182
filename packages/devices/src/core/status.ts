import type {
  Status,
  StatusCallback,
  WatchableStatus,
  Watcher,
  WatcherUpdate,
} from "../protocols/status.ts";
import { callSafely } from "./call-safely.ts";
import {
  InvalidStatusStateError,
  StatusCancelledError,
  StatusTimeoutError,
  toError,
  WaitTimeoutError,
} from "./errors.ts";

/** How a Status describes itself and when it gives up. */
export interface StatusOptions {
  /** What is happening, for error messages: "motor1 set(12)". */
  operation?: string;
  /** Seconds after creation before failing with StatusTimeoutError (none when omitted). */
  timeout?: number;
  /** Seconds between `setFinished()` and the Status being done (mechanical settling). */
  settleTime?: number;
}

/**
 * A Status finished by hand (ophyd's StatusBase): call `setFinished()` or `setException()`.
 * Awaitable, with callbacks, timeout, settle time, progress watchers and cancellation.
 */
export class StatusBase implements WatchableStatus {
  readonly operation: string;
  readonly settleTime: number;
  #done = false;
  // Set when the device reports the outcome, apart from done: a timeout or cancel that got
  // there first makes a late report a no-op, while a second report from the device is a bug.
  #reported = false;
  #exception: Error | undefined;
  #callbacks: StatusCallback[] = [];
  #watchers = new Set<Watcher>();
  #lastUpdate: WatcherUpdate | undefined;
  #cancelHooks: Array<(error: Error) => void> = [];
  #timers: ReturnType<typeof setTimeout>[] = [];

  constructor(options: StatusOptions = {}) {
    this.operation = options.operation ?? "operation";
    this.settleTime = options.settleTime ?? 0;
    const { timeout } = options;
    if (timeout !== undefined) {
      this.#timers.push(
        setTimeout(
          () => this.#fail(new StatusTimeoutError(this.operation, timeout)),
          (timeout + this.settleTime) * 1000,
        ),
      );
    }
  }

  get done(): boolean {
    return this.#done;
  }

  get success(): boolean {
    return this.#done && this.#exception === undefined;
  }

  get exception(): Error | undefined {
    return this.#exception;
  }

  /**
   * Marks success (after the settle time, if any). Throws if the device already reported;
   * a no-op once the Status timed out or was cancelled.
   */
  setFinished(): void {
    if (!this.#report()) return;
    if (this.settleTime > 0) {
      this.#timers.push(setTimeout(() => this.#complete(undefined), this.settleTime * 1000));
    } else {
      this.#complete(undefined);
    }
  }

  /**
   * Marks failure with `error`. Throws if the device already reported (settle time included);
   * a no-op once the Status timed out or was cancelled.
   */
  setException(error: unknown): void {
    if (!this.#report()) return;
    this.#complete(toError(error));
  }

  /** Fails the Status with StatusCancelledError and runs the cancel hooks; no-op once done. */
  cancel(reason = ""): void {
    this.#fail(new StatusCancelledError(this.operation, reason));
  }

  /** Runs `hook(error)` if the Status fails by timeout or cancellation (to stop the work). */
  onCancel(hook: (error: Error) => void): void {
    this.#cancelHooks.push(hook);
  }

  addCallback(callback: StatusCallback): void {
    if (this.#done) this.#runCallback(callback);
    else this.#callbacks.push(callback);
  }

  watch(watcher: Watcher): () => void {
    if (this.#done) return () => {};
    this.#watchers.add(watcher);
    if (this.#lastUpdate) watcher(this.#lastUpdate);
    return () => this.#watchers.delete(watcher);
  }

  /** Sends a progress update to the watchers (and to watchers that join later). */
  reportProgress(update: WatcherUpdate): void {
    if (this.#done) return;
    this.#lastUpdate = update;
    for (const watcher of this.#watchers) watcher(update);
  }

  // biome-ignore lint/suspicious/noThenProperty: a Status is awaitable by design (PromiseLike).
  then<TResult1 = void, TResult2 = never>(
    // biome-ignore lint/suspicious/noConfusingVoidType: PromiseLike<void> fixes this signature.
    onfulfilled?: ((value: void) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    // Built on demand, so an unobserved failure never becomes an unhandled rejection.
    return new Promise<void>((resolve, reject) => {
      this.addCallback((status) => (status.exception ? reject(status.exception) : resolve()));
    }).then(onfulfilled, onrejected);
  }

  wait(timeout?: number): Promise<void> {
    if (timeout === undefined) return Promise.resolve(this);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new WaitTimeoutError(this.operation, timeout)),
        timeout * 1000,
      );
      this.addCallback((status) => {
        clearTimeout(timer);
        if (status.exception) reject(status.exception);
        else resolve();
      });
    });
  }

  /** A Status that succeeds when both succeed and fails as soon as either fails. */
  and(other: Status): StatusBase {
    const both = new StatusBase({ operation: `${this.operation} & ${describeStatus(other)}` });
    const check = (): void => {
      if (both.done) return;
      const failed = [this, other].find((s) => s.done && s.exception);
      if (failed?.exception) both.setException(failed.exception);
      else if (this.success && other.success) both.setFinished();
    };
    this.addCallback(check);
    other.addCallback(check);
    both.onCancel(() => {
      this.cancel("the combined status was cancelled");
      if (other instanceof StatusBase) other.cancel("the combined status was cancelled");
    });
    return both;
  }

  toString(): string {
    const state = this.#done ? (this.success ? "done" : "failed") : "running";
    return `Status(${this.operation}: ${state})`;
  }

  /** Records the device's report; false when a timeout or cancel already ended the Status. */
  #report(): boolean {
    if (this.#reported) throw new InvalidStatusStateError(this.operation);
    this.#reported = true;
    return !this.#done;
  }

  #fail(error: Error): void {
    if (this.#done) return;
    this.#complete(error);
    for (const hook of this.#cancelHooks) hook(error);
  }

  #complete(error: Error | undefined): void {
    if (this.#done) return;
    this.#done = true;
    this.#exception = error;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#watchers.clear();
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const callback of callbacks) this.#runCallback(callback);
  }

  #runCallback(callback: StatusCallback): void {
    // A broken callback must not break the status nor the other callbacks.
    callSafely(() => callback(this), `a callback of ${this.operation}`, "StatusCallbackWarning");
  }
}

function describeStatus(status: Status): string {
  return status instanceof StatusBase ? status.operation : "status";
}

/** A Status that is already done successfully (ophyd's NullStatus). */
export function completedStatus(operation = "no-op"): StatusBase {
  const status = new StatusBase({ operation });
  status.setFinished();
  return status;
}

/** A Status that already failed with `error`. */
export function failedStatus(error: unknown, operation = "operation"): StatusBase {
  const status = new StatusBase({ operation });
  status.setException(error);
  return status;
}
