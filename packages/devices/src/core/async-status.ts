import type { WatcherUpdate } from "../protocols/status.ts";
import { DevicesError, FailedStatus } from "./errors.ts";
import { StatusBase, type StatusOptions } from "./status.ts";

/** What an AsyncStatus task gets: an abort signal (timeout/cancel) and a progress reporter. */
export interface StatusTaskContext {
  /** Aborted when the Status times out or is cancelled; the task should stop its work. */
  signal: AbortSignal;
  /** Reports progress to the Status's watchers. */
  progress(update: WatcherUpdate): void;
}

/**
 * A Status driven by an async function (ophyd-async's AsyncStatus): done when the task
 * resolves, failed when it rejects. Errors of this package pass through as they are;
 * anything else is wrapped in FailedStatus naming the operation.
 * @example const status = new AsyncStatus(async () => await backend.put(v, true), { operation: "x set(1)" })
 */
export class AsyncStatus extends StatusBase {
  constructor(task: (context: StatusTaskContext) => Promise<unknown>, options: StatusOptions = {}) {
    super(options);
    // Made on first use: most tasks (soft writes, instant moves) never look at it.
    let controller: AbortController | undefined;
    let cancelled: Error | undefined;
    this.onCancel((error) => {
      cancelled = error;
      controller?.abort(error);
    });
    const context: StatusTaskContext = {
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (cancelled) controller.abort(cancelled);
        }
        return controller.signal;
      },
      progress: (update) => this.reportProgress(update),
    };
    // Started on the next microtask so the constructor returns before any callback fires.
    Promise.resolve()
      .then(() => task(context))
      .then(
        () => {
          if (!this.done) this.setFinished();
        },
        (error: unknown) => {
          if (this.done) return;
          this.setException(
            error instanceof DevicesError ? error : new FailedStatus(this.operation, error),
          );
        },
      );
  }
}
