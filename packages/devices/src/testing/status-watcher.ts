import type { WatchableStatus, WatcherUpdate } from "../protocols/status.ts";

/**
 * Records the progress updates of a Status for tests (ophyd-async's StatusWatcher).
 * @example const watcher = new StatusWatcher(motor.set(3)); await watcher.status; watcher.updates.at(-1)
 */
export class StatusWatcher {
  readonly status: WatchableStatus;
  readonly updates: WatcherUpdate[] = [];
  #waiters: Array<() => void> = [];

  constructor(status: WatchableStatus) {
    this.status = status;
    status.watch((update) => {
      this.updates.push(update);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first update (recorded or to come) that satisfies `predicate`. */
  async waitFor(predicate: (update: WatcherUpdate) => boolean): Promise<WatcherUpdate> {
    while (true) {
      const found = this.updates.find(predicate);
      if (found) return found;
      if (this.status.done) {
        throw new Error(`${String(this.status)} finished without a matching progress update`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        this.status.addCallback(() => resolve());
      });
    }
  }
}
