import type { DataKey } from "@cerulean/event-model";
import type { Reading } from "../protocols/reading.ts";
import { dataKeyFor, type SignalMetadata } from "./data-key.ts";
import { ReadOnlyError } from "./errors.ts";
import { SignalR } from "./signal.ts";
import type { ReadingCallback, SignalBackend } from "./signal-backend.ts";

/** What a derived signal needs of each source (any SignalR fits). */
export interface ReadingSource<T> {
  readonly name: string;
  getReading(): Promise<Reading<T>>;
  subscribeReading(callback: (reading: Reading<T>) => void): () => void;
}

type ValuesOf<TSources extends readonly ReadingSource<unknown>[]> = {
  [K in keyof TSources]: TSources[K] extends ReadingSource<infer V> ? V : never;
};

/**
 * A read-only value computed from other signals (a sum, a temperature in K from a voltage):
 * read computes it from the sources' current values; a monitor recomputes on each change.
 * Its timestamp is the latest of the sources'.
 */
export class DerivedSignalBackend<T, TSources extends readonly ReadingSource<unknown>[]>
  implements SignalBackend<T>
{
  readonly #sources: TSources;
  readonly #combine: (...values: ValuesOf<TSources>) => T;
  readonly #metadata: SignalMetadata;
  #unsubscribers: Array<() => void> = [];

  constructor(
    combine: (...values: ValuesOf<TSources>) => T,
    sources: TSources,
    metadata: SignalMetadata = {},
  ) {
    this.#combine = combine;
    this.#sources = sources;
    this.#metadata = metadata;
  }

  source(name: string): string {
    return `derived://${name}(${this.#sources.map((s) => s.name).join(",")})`;
  }

  async connect(): Promise<void> {}

  async getDataKey(source: string): Promise<DataKey> {
    return dataKeyFor(await this.getValue(), source, this.#metadata);
  }

  async getReading(): Promise<Reading<T>> {
    const readings = await Promise.all(this.#sources.map((s) => s.getReading()));
    return this.#fromReadings(readings);
  }

  async getValue(): Promise<T> {
    return (await this.getReading()).value;
  }

  getSetpoint(): Promise<T> {
    return this.getValue();
  }

  async put(value: T | undefined): Promise<void> {
    throw new ReadOnlyError(`a signal derived from ${this.#sources.map((s) => s.name)}`, value);
  }

  setCallback(callback: ReadingCallback<T> | undefined): void {
    for (const unsubscribe of this.#unsubscribers) unsubscribe();
    this.#unsubscribers = [];
    if (!callback) return;
    const latest: Array<Reading<unknown> | undefined> = this.#sources.map(() => undefined);
    this.#unsubscribers = this.#sources.map((source, i) =>
      source.subscribeReading((reading) => {
        latest[i] = reading;
        if (latest.every((r) => r !== undefined)) {
          callback(this.#fromReadings(latest as Reading<unknown>[]));
        }
      }),
    );
  }

  /** None: in mock mode a derived signal stays derived, from its (mocked) sources. */
  mockDefaults(): undefined {
    return undefined;
  }

  #fromReadings(readings: Reading<unknown>[]): Reading<T> {
    const values = readings.map((r) => r.value) as unknown as ValuesOf<TSources>;
    const timestamp = Math.max(...readings.map((r) => r.timestamp));
    const alarm = Math.max(0, ...readings.map((r) => r.alarm_severity ?? 0));
    return { value: this.#combine(...values), timestamp, alarm_severity: alarm };
  }
}

/**
 * A read-only signal computed from others.
 * @example const total = derivedSignalR((a, b) => a + b, [det1.val, det2.val] as const)
 */
export function derivedSignalR<T, const TSources extends readonly ReadingSource<unknown>[]>(
  combine: (...values: ValuesOf<TSources>) => T,
  sources: TSources,
  options: { name?: string } & SignalMetadata = {},
): SignalR<T> {
  const { name = "", ...metadata } = options;
  return new SignalR(new DerivedSignalBackend(combine, sources, metadata), name);
}
