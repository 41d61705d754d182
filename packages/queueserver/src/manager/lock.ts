// The environment/queue lock (bluesky-queueserver's lock, lock_info, unlock).
import { randomUUID } from "node:crypto";
import { RequestFailedError } from "../errors.ts";
import type { QueueStorage } from "../queue/storage.ts";
import type { LockState } from "../types.ts";

const UNLOCKED: LockState = {
  environment: false,
  queue: false,
  lock_key: null,
  user: null,
  note: null,
  time: null,
};

function timeStr(t: number): string {
  const d = new Date(t * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getMonth() + 1)}/${p(d.getDate())}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The lock, persisted in storage. */
export class Lock {
  #state: LockState;
  #uid = randomUUID();
  readonly #storage: QueueStorage;
  readonly #emergencyKey: string | undefined;

  constructor(storage: QueueStorage, emergencyKey?: string) {
    this.#storage = storage;
    this.#emergencyKey = emergencyKey || undefined;
    this.#state = storage.getRecord<LockState>("lock_info") ?? { ...UNLOCKED };
  }

  get uid(): string {
    return this.#uid;
  }
  get environment(): boolean {
    return this.#state.environment;
  }
  get queue(): boolean {
    return this.#state.queue;
  }

  info(): Record<string, unknown> {
    const { lock_key: _k, time, ...rest } = this.#state;
    return {
      ...rest,
      time,
      time_str: time === null ? "" : timeStr(time),
      emergency_lock_key_is_set: this.#emergencyKey !== undefined,
    };
  }

  /** Throws unless the `part` is unlocked or `key` is the lock key. */
  check(part: "environment" | "queue", key: unknown): void {
    if (!this.#state[part]) return;
    if (typeof key === "string" && key === this.#state.lock_key) return;
    throw new RequestFailedError(
      `Invalid lock key: RE Manager is locked by ${this.#state.user ?? "a user"} (${part} is locked)`,
    );
  }

  lock(p: {
    lock_key?: unknown;
    environment?: unknown;
    queue?: unknown;
    user?: unknown;
    note?: unknown;
  }): void {
    const environment = p.environment === true;
    const queue = p.queue === true;
    if (!environment && !queue) {
      throw new RequestFailedError(
        "Invalid request: environment and/or queue must be selected for locking",
      );
    }
    if (typeof p.user !== "string" || p.user === "")
      throw new RequestFailedError("User name is not specified");
    if (p.lock_key === undefined) throw new RequestFailedError("Lock key is not specified");
    if (typeof p.lock_key !== "string" || p.lock_key === "") {
      throw new RequestFailedError("Lock key must be a non-empty string");
    }
    if (p.note !== undefined && p.note !== null && typeof p.note !== "string") {
      throw new RequestFailedError(`Note must be a string or None: ${JSON.stringify(p.note)}`);
    }
    if ((this.#state.environment || this.#state.queue) && this.#state.lock_key !== p.lock_key) {
      throw new RequestFailedError("Invalid lock key: RE Manager was locked with a different key");
    }
    this.#set({
      environment,
      queue,
      lock_key: p.lock_key,
      user: p.user,
      note: (p.note as string | null | undefined) ?? null,
      time: Date.now() / 1000,
    });
  }

  /** Checks an optional key given to lock_info. */
  checkInfoKey(key: unknown): void {
    if (key === undefined || key === null) return;
    if (!(this.#state.environment || this.#state.queue) || key !== this.#state.lock_key) {
      throw new RequestFailedError("Invalid lock key: the key does not match the current lock");
    }
  }

  unlock(key: unknown): void {
    if (!this.#state.environment && !this.#state.queue) return;
    const ok =
      key === this.#state.lock_key ||
      (this.#emergencyKey !== undefined && key === this.#emergencyKey);
    if (!ok)
      throw new RequestFailedError(
        "Invalid lock key: the key does not match the lock key or the emergency key",
      );
    this.#set({ ...UNLOCKED });
  }

  #set(state: LockState): void {
    this.#state = state;
    this.#storage.setRecord("lock_info", state);
    this.#uid = randomUUID();
  }
}
