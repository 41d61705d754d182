// Statuses grouped by the `group` of the message that produced them, for `wait`.
import type { Status } from "@cerulean/devices/protocols";
import { FailedStatus, WaitForTimeoutError } from "../errors.ts";
import type { Group } from "../msg.ts";

/** Where a status came from, to name it when it fails. */
export interface StatusOrigin {
  command: string;
  device: string;
}

/** How the group tells the loop about failures and abandoned waits. */
export interface StatusGroupsHost {
  reportAsyncError(err: unknown): void;
  readonly pardonFailures: boolean;
  onAbandon(cancel: () => void): () => void;
  readonly waitingHook: ((statuses: readonly unknown[] | undefined) => void) | undefined;
}

/** Options of a wait, Bluesky's `Msg('wait', group=..., timeout=..., error_on_timeout=..., watch=...)`. */
export interface WaitOptions {
  /** Seconds; no limit when absent or null. */
  timeout?: number | null | undefined;
  errorOnTimeout?: boolean;
  /** Other groups whose failure ends this wait early. */
  watch?: readonly (Group | undefined)[];
}

/** True for objects that look like a Status (finish state plus completion callbacks). */
export function isStatus(value: unknown): value is Status {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Status).addCallback === "function" &&
    typeof (value as Status).done === "boolean"
  );
}

/**
 * The statuses of each group. A status that fails raises FailedStatus into the plan at its next
 * step, whether or not anyone waits on it (until cleanup starts, when failures are pardoned).
 */
export class StatusGroups {
  readonly #groups = new Map<Group | undefined, Status[]>();

  constructor(private readonly host: StatusGroupsHost) {}

  /** Adds `status` to `group` and watches it for failure. */
  add(status: Status, group: Group | undefined | null, origin: StatusOrigin): void {
    const key = group ?? undefined;
    let list = this.#groups.get(key);
    if (list === undefined) {
      list = [];
      this.#groups.set(key, list);
    }
    list.push(status);
    status.addCallback((s) => {
      if (!s.success && !this.host.pardonFailures) {
        this.host.reportAsyncError(new FailedStatus(s, origin.command, origin.device, s.exception));
      }
    });
  }

  /** The statuses currently in a group. */
  statuses(group: Group | undefined): readonly Status[] {
    return this.#groups.get(group) ?? [];
  }

  /** Forgets every group (end of a call). */
  clear(): void {
    this.#groups.clear();
  }

  /**
   * Waits for every status of `group`: `true` at once (no extra turn) when all are done already,
   * else a promise of `true`, or of `false` after a timeout when `errorOnTimeout` is false.
   * Returns early when a status fails (the failure itself reaches the plan as FailedStatus).
   */
  wait(group: Group | undefined | null, options: WaitOptions = {}): boolean | Promise<boolean> {
    const key = group ?? undefined;
    const list = this.#groups.get(key);
    if (list === undefined) return true;
    this.#groups.delete(key);
    let allDone = true;
    for (let i = 0; i < list.length; i++) {
      if (!(list[i] as Status).done) {
        allDone = false;
        break;
      }
    }
    if (allDone && !this.host.waitingHook) return true;
    return this.#waitAsync(key, list, options);
  }

  #putBack(key: Group | undefined, list: readonly Status[]): Status[] {
    const pending = list.filter((s) => !s.done);
    if (pending.length > 0) this.#groups.set(key, [...pending, ...(this.#groups.get(key) ?? [])]);
    return pending;
  }

  #waitAsync(key: Group | undefined, list: Status[], options: WaitOptions): Promise<boolean> {
    const hook = this.host.waitingHook;
    hook?.(list);
    return new Promise<boolean>((resolve, reject) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: boolean | Error) => {
        if (finished) return;
        finished = true;
        if (timer !== undefined) clearTimeout(timer);
        stopWatching();
        hook?.(undefined);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      // Abandoned by a pause: the unfinished statuses go back, so the re-issued wait waits again.
      const stopWatching = this.host.onAbandon(() => {
        this.#putBack(key, list);
        finish(false);
      });
      let remaining = 0;
      for (const status of list) {
        if (status.done) {
          if (!status.success) return finish(true);
          continue;
        }
        remaining++;
        status.addCallback((s) => {
          if (!s.success) finish(true);
          else if (--remaining === 0) finish(true);
        });
      }
      if (remaining === 0) return finish(true);
      for (const watched of options.watch ?? []) {
        for (const status of this.#groups.get(watched ?? undefined) ?? []) {
          status.addCallback((s) => {
            if (!s.success) finish(true);
          });
        }
      }
      const timeout = options.timeout;
      if (typeof timeout === "number" && Number.isFinite(timeout)) {
        timer = setTimeout(() => {
          // As Bluesky: the unfinished statuses go back into the group, to be waited on again.
          const pending = this.#putBack(key, list);
          if (options.errorOnTimeout ?? true) {
            finish(
              new WaitForTimeoutError(
                `wait for group ${key === undefined ? "(default)" : JSON.stringify(key)} timed out after ${timeout} s with ${pending.length} of ${list.length} statuses unfinished`,
              ),
            );
          } else {
            finish(false);
          }
        }, timeout * 1000);
      }
    });
  }
}
