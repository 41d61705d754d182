import type { DataKey } from "@cerulean/event-model";
import type { Reading } from "../protocols/reading.ts";
import { dataKeyFor, type SignalMetadata } from "./data-key.ts";
import { ReadOnlyError } from "./errors.ts";
import type { MockDefaults, ReadingCallback, SignalBackend } from "./signal-backend.ts";
import { now } from "./time.ts";

/** Options of a SimSignalBackend. */
export interface SimSignalOptions extends SignalMetadata {
  /** Seconds between monitor updates while subscribed (default 0.1). */
  period?: number;
}

/**
 * A read-only simulated value computed by a function of time or state (a decaying beam
 * current, a thermometer); computed afresh on every read, and every `period` s for monitors.
 */
export class SimSignalBackend<T> implements SignalBackend<T> {
  readonly #compute: () => T;
  readonly #options: SimSignalOptions;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(compute: () => T, options: SimSignalOptions = {}) {
    this.#compute = compute;
    this.#options = options;
  }

  source(name: string): string {
    return `sim://${name}`;
  }

  async connect(): Promise<void> {
    this.#compute();
  }

  async getDataKey(source: string): Promise<DataKey> {
    return dataKeyFor(this.#compute(), source, this.#options);
  }

  async getReading(): Promise<Reading<T>> {
    return { value: this.#compute(), timestamp: now(), alarm_severity: 0 };
  }

  async getValue(): Promise<T> {
    return this.#compute();
  }

  async getSetpoint(): Promise<T> {
    return this.#compute();
  }

  async put(value: T | undefined): Promise<void> {
    throw new ReadOnlyError("a simulated signal", value);
  }

  setCallback(callback: ReadingCallback<T> | undefined): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (!callback) return;
    const emit = (): void =>
      callback({ value: this.#compute(), timestamp: now(), alarm_severity: 0 });
    emit();
    this.#timer = setInterval(emit, (this.#options.period ?? 0.1) * 1000);
    // A forgotten monitor must not keep the process alive.
    this.#timer.unref();
  }

  mockDefaults(): MockDefaults<T> {
    return { value: this.#compute(), metadata: this.#options };
  }
}
