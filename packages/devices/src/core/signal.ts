import type { DataKey } from "@cerulean/event-model";
import type { HasName, HasParent } from "../protocols/has-name.ts";
import type { Reading, Readings } from "../protocols/reading.ts";
import type { ReadingsCallback } from "../protocols/subscribable.ts";
import { callSafely } from "./call-safely.ts";
import { NotConnectedError, toError } from "./errors.ts";
import { MockSignalBackend } from "./mock-signal-backend.ts";
import type { SignalBackend } from "./signal-backend.ts";

/** Options of `connect`. */
export interface ConnectOptions {
  /** Replace every backend by a MockSignalBackend (no hardware touched). */
  mock?: boolean;
  /** Seconds to wait for each backend (default 10). */
  timeout?: number;
}

/** Seconds `connect` and `set` wait by default. */
export const DEFAULT_TIMEOUT = 10;

/** A value with a backend: the leaf of a device tree. */
export class Signal<T> implements HasName, HasParent {
  #name: string;
  #backend: SignalBackend<T>;
  /** The device this signal belongs to; set when added to one. */
  parent: HasName | undefined;

  constructor(backend: SignalBackend<T>, name = "") {
    this.#backend = backend;
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  /** Renames the signal (devices name their children `parent_child`). */
  setName(name: string): void {
    this.#name = name;
  }

  get backend(): SignalBackend<T> {
    return this.#backend;
  }

  /** The DataKey `source` of this signal ("soft://motor1_setpoint"). */
  get source(): string {
    return this.#backend.source(this.#name);
  }

  /** Connects the backend, or swaps it for a mock in mock mode. */
  async connect(options: ConnectOptions = {}): Promise<void> {
    if (options.mock && !(this.#backend instanceof MockSignalBackend)) {
      if (!this.#backend.mockDefaults) {
        const why = new Error(`its backend (${this.source}) cannot be mocked`);
        throw new NotConnectedError(this.#name, new Map([[this.#name, why]]));
      }
      const defaults = this.#backend.mockDefaults();
      if (defaults) {
        this.replaceBackend(new MockSignalBackend(defaults, this.#backend));
        return;
      }
    }
    try {
      await this.#backend.connect(options.timeout ?? DEFAULT_TIMEOUT);
    } catch (error) {
      throw new NotConnectedError(this.#name, new Map([[this.#name, toError(error)]]));
    }
  }

  /** Swaps the backend (mock mode); subclasses move their monitors over. */
  protected replaceBackend(backend: SignalBackend<T>): void {
    this.#backend = backend;
  }

  toString(): string {
    return `${this.constructor.name}(${this.#name})`;
  }
}

/** A signal that can be read and monitored. */
export class SignalR<T> extends Signal<T> {
  // Keyed by a token per subscription: the same function may subscribe in several ways.
  #listeners = new Map<object, { callback: unknown; listener: (reading: Reading<T>) => void }>();
  #last: Reading<T> | undefined;

  /** `{[name]: reading}` */
  async read(): Promise<Readings> {
    return { [this.name]: await this.backend.getReading() };
  }

  /** `{[name]: DataKey}` with the same key as `read()`. */
  async describe(): Promise<Record<string, DataKey>> {
    return { [this.name]: await this.backend.getDataKey(this.source) };
  }

  async getValue(): Promise<T> {
    return this.backend.getValue();
  }

  async getReading(): Promise<Reading<T>> {
    return this.backend.getReading();
  }

  /** Calls back with `{[name]: reading}` at once and on every change; returns an unsubscribe function. */
  subscribe(callback: ReadingsCallback): () => void {
    return this.#listen(callback, (reading) => callback({ [this.name]: reading }));
  }

  /** Calls back with the value at once and on every change; returns an unsubscribe function. */
  subscribeValue(callback: (value: T) => void): () => void {
    return this.#listen(callback, (reading) => callback(reading.value));
  }

  /** Calls back with each Reading (value and timestamp). */
  subscribeReading(callback: (reading: Reading<T>) => void): () => void {
    return this.#listen(callback, callback);
  }

  /** Whether anyone is subscribed. */
  get monitored(): boolean {
    return this.#listeners.size > 0;
  }

  /** Removes every subscription of `callback`. */
  clearSub(callback: unknown): void {
    let removed = false;
    for (const [token, entry] of this.#listeners) {
      if (entry.callback === callback) removed = this.#listeners.delete(token) || removed;
    }
    if (removed) this.#afterRemoval();
  }

  #afterRemoval(): void {
    if (this.#listeners.size === 0) {
      this.backend.setCallback(undefined);
      this.#last = undefined;
      this.onMonitor(false);
    }
  }

  /** Called when the first subscriber arrives (true) and the last one leaves (false). */
  protected onMonitor(_active: boolean): void {}

  protected override replaceBackend(backend: SignalBackend<T>): void {
    const monitoring = this.#listeners.size > 0;
    if (monitoring) this.backend.setCallback(undefined);
    super.replaceBackend(backend);
    if (monitoring) backend.setCallback((reading) => this.#fanOut(reading));
  }

  #listen(callback: unknown, listener: (reading: Reading<T>) => void): () => void {
    const token = {};
    this.#listeners.set(token, { callback, listener });
    if (this.#listeners.size === 1) {
      this.onMonitor(true);
      this.backend.setCallback((reading) => this.#fanOut(reading));
    } else if (this.#last) {
      this.#deliver(listener, this.#last);
    }
    return () => {
      if (this.#listeners.delete(token)) this.#afterRemoval();
    };
  }

  #fanOut(reading: Reading<T>): void {
    this.#last = reading;
    for (const { listener } of [...this.#listeners.values()]) this.#deliver(listener, reading);
  }

  /** A throwing subscriber must not fail the write that changed the value nor starve the others. */
  #deliver(listener: (reading: Reading<T>) => void, reading: Reading<T>): void {
    callSafely(() => listener(reading), `a subscriber of ${this.name}`, "SignalSubscriberWarning");
  }
}
