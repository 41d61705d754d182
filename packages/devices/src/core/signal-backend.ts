import type { DataKey } from "@cerulean/event-model";
import type { Reading } from "../protocols/reading.ts";
import type { SignalMetadata } from "./data-key.ts";

/** Receives each new reading of a backend. */
export type ReadingCallback<T> = (reading: Reading<T>) => void;

/** What a mock backend starts from when a device connects in mock mode. */
export interface MockDefaults<T> {
  value: T;
  metadata: SignalMetadata;
}

/**
 * Where a Signal's value lives: memory, a simulation, an EPICS PV. Signals talk only to
 * this interface, so any backend plugs into any device. The shared contract suite in
 * `@cerulean/devices/testing` (`signalBackendContract`) checks an implementation.
 */
export interface SignalBackend<T> {
  /** Where the value comes from, for DataKey `source` ("soft://motor1", "ca://XF:31-M1"). */
  source(name: string): string;
  /** Gets ready (opens channels); rejects with a message naming what failed. */
  connect(timeout: number): Promise<void>;
  /** The DataKey of the value (dtype, shape, units...); `source` as given. */
  getDataKey(source: string): Promise<DataKey>;
  getReading(): Promise<Reading<T>>;
  getValue(): Promise<T>;
  /** The last value written (what the value is heading for); the value when none. */
  getSetpoint(): Promise<T>;
  /**
   * Writes `value` (`undefined`: process/execute, for action signals). With `wait`,
   * resolves once the write has completed (an EPICS put callback); else once it was sent.
   */
  put(value: T | undefined, wait: boolean): Promise<void>;
  /**
   * Sets (or clears, with undefined) the one monitor callback: called at once with the
   * current reading, then on each change.
   */
  setCallback(callback: ReadingCallback<T> | undefined): void;
  /**
   * The initial value and metadata for a mock replacing this backend in mock mode;
   * `undefined` keeps this backend (derived signals, computed from mocked sources).
   */
  mockDefaults?(): MockDefaults<T> | undefined;
}
