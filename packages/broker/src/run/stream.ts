import type { DataKey, EventDescriptor, EventPage, Filler } from "@cerulean/event-model";
import { PageReader } from "../catalog/page-codec.ts";
import type { CatalogStorage } from "../catalog/storage.ts";
import { InvalidQueryError } from "../errors.ts";
import {
  assembleColumns,
  type ColumnSource,
  EventPageSource,
  type StreamTable,
} from "./column-reader.ts";

/** What a run hands its streams: where to read, and how to fill external data. */
export interface RunContext {
  storage: CatalogStorage;
  runUid: string;
  /** A Filler already fed the run's resources and datums. */
  filler(): Promise<Filler>;
}

export interface ReadOptions {
  /** Data keys to read (default: every data key of the stream). */
  fields?: readonly string[];
  /** First row (0-based; row i is seq_num i + 1). */
  start?: number;
  /** Row after the last (default: to the end). */
  stop?: number;
  /** Also return each field's timestamps (default false). */
  timestamps?: boolean;
  /** Also return the event uids (default false). */
  uid?: boolean;
  /** Load external (Resource/Datum) data through the Filler (default false: datum_ids). */
  fill?: boolean;
}

/** One row of a stream. */
export interface StreamRow {
  seq_num: number;
  time: number;
  uid?: string;
  data: Record<string, unknown>;
  timestamps?: Record<string, unknown>;
}

function checkIndex(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new InvalidQueryError(`${what} must be a non-negative integer row index, got ${value}`);
  }
}

/** One stream of a run ("primary", "baseline"...): the events of its descriptors. */
export class Stream {
  readonly name: string;
  /** The stream's descriptors, in arrival order (a configuration change adds one). */
  readonly descriptors: readonly EventDescriptor[];
  readonly #context: RunContext;

  constructor(context: RunContext, name: string, descriptors: readonly EventDescriptor[]) {
    this.#context = context;
    this.name = name;
    this.descriptors = descriptors;
  }

  /** The data keys of all the stream's descriptors (first descriptor's order first). */
  get dataKeys(): Record<string, DataKey> {
    const keys: Record<string, DataKey> = {};
    for (const d of this.descriptors)
      for (const [k, v] of Object.entries(d.data_keys)) keys[k] ??= v;
    return keys;
  }

  /** The number of rows: the highest seq_num (0 for a stream without events). */
  async length(): Promise<number> {
    const uids = new Set(this.descriptors.map((d) => d.uid));
    const counts = await this.#context.storage.counts(this.#context.runUid);
    return counts.filter((c) => uids.has(c.descriptor)).reduce((n, c) => Math.max(n, c.maxSeq), 0);
  }

  /**
   * Reads rows [start, stop) as columns: Float64Array for numbers, arrays otherwise (images as
   * nested arrays). Only the pages holding those rows are loaded.
   */
  async read(options: ReadOptions = {}): Promise<StreamTable> {
    checkIndex(options.start, "start");
    checkIndex(options.stop, "stop");
    const from = (options.start ?? 0) + 1;
    const to = options.stop === undefined ? Number.POSITIVE_INFINITY : options.stop + 1;
    const fields =
      options.fields ??
      Object.keys(this.dataKeys).filter((k) => this.dataKeys[k]?.external !== "STREAM:");
    const unknown = fields.filter((f) => !(f in this.dataKeys));
    if (unknown.length) {
      throw new InvalidQueryError(
        `stream "${this.name}" has no data key ${unknown.map((f) => JSON.stringify(f)).join(", ")}; it has ${Object.keys(this.dataKeys).join(", ")}`,
      );
    }
    const sources: ColumnSource[] = [];
    const filler = options.fill ? await this.#context.filler() : null;
    for await (const stored of this.#pages(from, to)) {
      const reader = new PageReader(stored.bytes);
      if (!filler) {
        sources.push(reader);
        continue;
      }
      const { page, hasFilled } = reader.toEventPage(stored.descriptor);
      // Without `filled`, the Filler finds the external keys from the descriptor instead.
      if (!hasFilled) delete page.filled;
      sources.push(new EventPageSource(await filler.fillEventPage(page, { include: fields })));
    }
    return assembleColumns(sources, {
      fields,
      timestamps: options.timestamps ?? false,
      uid: options.uid ?? false,
      from,
      to,
    });
  }

  /** Rows [start, stop) one by one, read `chunk` rows (default 10,000) at a time. */
  async *rows(options: ReadOptions & { chunk?: number } = {}): AsyncIterable<StreamRow> {
    const chunk = options.chunk ?? 10_000;
    const end = options.stop ?? (await this.length());
    for (let start = options.start ?? 0; start < end; start += chunk) {
      const table = await this.read({ ...options, start, stop: Math.min(end, start + chunk) });
      const keys = Object.keys(table.data);
      for (let i = 0; i < table.length; i++) {
        const row: StreamRow = { seq_num: table.seq_num[i]!, time: table.time[i]!, data: {} };
        if (table.uid) row.uid = table.uid[i];
        for (const k of keys) row.data[k] = table.data[k]![i];
        if (options.timestamps) {
          row.timestamps = {};
          for (const k of keys) row.timestamps[k] = table.timestamps[k]![i];
        }
        yield row;
      }
    }
  }

  /** The stored event pages holding rows [start, stop), as event pages, in arrival order. */
  async *eventPages(options: { start?: number; stop?: number } = {}): AsyncIterable<EventPage> {
    const from = (options.start ?? 0) + 1;
    const to = options.stop === undefined ? Number.POSITIVE_INFINITY : options.stop + 1;
    for await (const stored of this.#pages(from, to))
      yield new PageReader(stored.bytes).toEventPage(stored.descriptor).page;
  }

  #pages(from: number, to: number) {
    const uids = this.descriptors.map((d) => d.uid);
    const whole = from <= 1 && to === Number.POSITIVE_INFINITY;
    // Infinity does not bind as an SQL integer: the largest safe integer stands for "no end".
    return this.#context.storage.pages(
      uids,
      whole ? undefined : { from, to: Math.min(to, Number.MAX_SAFE_INTEGER) },
    );
  }
}
