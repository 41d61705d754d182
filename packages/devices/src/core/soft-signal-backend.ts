import type { DataKey } from "@cerulean/event-model";
import type { Reading } from "../protocols/reading.ts";
import { dataKeyFor, type SignalMetadata } from "./data-key.ts";
import { InvalidValueError } from "./errors.ts";
import type { MockDefaults, ReadingCallback, SignalBackend } from "./signal-backend.ts";
import { now } from "./time.ts";

/** A value held in memory: writes land at once, with a fresh timestamp. */
export class SoftSignalBackend<T> implements SignalBackend<T> {
  #reading: Reading<T>;
  #setpoint: T;
  #callback: ReadingCallback<T> | undefined;
  readonly metadata: SignalMetadata;

  constructor(initialValue: T, metadata: SignalMetadata = {}) {
    this.#reading = { value: initialValue, timestamp: now(), alarm_severity: 0 };
    this.#setpoint = initialValue;
    this.metadata = metadata;
  }

  source(name: string): string {
    return `soft://${name}`;
  }

  async connect(): Promise<void> {}

  async getDataKey(source: string): Promise<DataKey> {
    return dataKeyFor(this.#reading.value, source, this.metadata);
  }

  async getReading(): Promise<Reading<T>> {
    return { ...this.#reading };
  }

  async getValue(): Promise<T> {
    return this.#reading.value;
  }

  async getSetpoint(): Promise<T> {
    return this.#setpoint;
  }

  async put(value: T | undefined): Promise<void> {
    const next = value === undefined ? this.#reading.value : value;
    const { choices } = this.metadata;
    if (choices && !choices.includes(String(next))) {
      throw new InvalidValueError("", next, `one of ${choices.join(", ")}`);
    }
    this.#setpoint = next;
    this.setReading(next);
  }

  /** Updates the value (not the setpoint): what a readback changing on its own looks like. */
  setReading(value: T, timestamp = now(), alarmSeverity = 0): void {
    this.#reading = { value, timestamp, alarm_severity: alarmSeverity };
    this.#callback?.({ ...this.#reading });
  }

  /** The current value, synchronously (simulations use it). */
  get value(): T {
    return this.#reading.value;
  }

  setCallback(callback: ReadingCallback<T> | undefined): void {
    this.#callback = callback;
    callback?.({ ...this.#reading });
  }

  mockDefaults(): MockDefaults<T> {
    return { value: this.#reading.value, metadata: this.metadata };
  }
}
