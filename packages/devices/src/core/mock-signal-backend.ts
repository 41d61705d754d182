import type { DataKey } from "@cerulean/event-model";
import type { Reading } from "../protocols/reading.ts";
import type { MockDefaults, ReadingCallback, SignalBackend } from "./signal-backend.ts";
import { SoftSignalBackend } from "./soft-signal-backend.ts";

/**
 * Stands in for a real backend when a device connects with `{ mock: true }`: holds values in
 * memory, records every put, and can hold puts back to test timeouts and cancellation.
 */
export class MockSignalBackend<T> implements SignalBackend<T> {
  readonly #soft: SoftSignalBackend<T>;
  readonly #source: string;
  /** Every value written through `put`, oldest first. */
  readonly putLog: Array<T | undefined> = [];
  #putGate: Promise<void> = Promise.resolve();
  #openGate: () => void = () => {};
  /** Called on each put, e.g. to move a readback when the setpoint is written. */
  onPut: ((value: T | undefined) => void) | undefined;

  constructor(defaults: MockDefaults<T>, replaced?: SignalBackend<T>) {
    this.#soft = new SoftSignalBackend(defaults.value, defaults.metadata);
    this.#source = replaced ? replaced.source("").replace(/:\/\/.*$/, "") : "soft";
  }

  source(name: string): string {
    return `mock+${this.#source}://${name}`;
  }

  async connect(): Promise<void> {}

  getDataKey(source: string): Promise<DataKey> {
    return this.#soft.getDataKey(source);
  }

  getReading(): Promise<Reading<T>> {
    return this.#soft.getReading();
  }

  getValue(): Promise<T> {
    return this.#soft.getValue();
  }

  getSetpoint(): Promise<T> {
    return this.#soft.getSetpoint();
  }

  async put(value: T | undefined, wait: boolean): Promise<void> {
    this.putLog.push(value);
    await this.#soft.put(value);
    this.onPut?.(value);
    if (wait) await this.#putGate;
  }

  /** Sets the value as if the hardware changed it (puts are not recorded). */
  setValue(value: T): void {
    this.#soft.setReading(value);
  }

  /** While false, puts with `wait` do not complete (a stuck IOC). */
  setPutProceeds(proceeds: boolean): void {
    if (proceeds) {
      this.#openGate();
      this.#putGate = Promise.resolve();
    } else {
      this.#putGate = new Promise((resolve) => {
        this.#openGate = resolve;
      });
    }
  }

  setCallback(callback: ReadingCallback<T> | undefined): void {
    this.#soft.setCallback(callback);
  }

  mockDefaults(): MockDefaults<T> {
    return this.#soft.mockDefaults();
  }
}
