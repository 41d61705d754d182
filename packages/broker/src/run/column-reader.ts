// Assembles the columns of a stream from its pages: rows ordered by seq_num, a repeated seq_num
// keeping the latest event (databroker's rule), numbers as Float64Array. The common case (pages
// arriving in seq_num order) copies float64 sections straight into the result.
import type { EventPage } from "@cerulean/event-model";
import type { PagePart } from "../catalog/page-codec.ts";

/** What the assembler needs from a page: the stored reader, or a filled page in memory. */
export interface ColumnSource {
  readonly rows: number;
  has(part: PagePart, key?: string): boolean;
  isNumeric(part: PagePart, key?: string): boolean;
  copyNumeric(
    part: PagePart,
    key: string,
    target: Float64Array,
    at: number,
    from?: number,
    to?: number,
  ): void;
  column(part: PagePart, key?: string): unknown[];
}

/** A column: Float64Array when every value is a number, otherwise a plain array. */
export type Column = Float64Array | unknown[];

/** The columns of (a slice of) a stream. */
export interface StreamTable {
  /** Rows. */
  length: number;
  seq_num: Float64Array;
  time: Float64Array;
  /** Event uids, when asked for. */
  uid?: string[];
  data: Record<string, Column>;
  timestamps: Record<string, Column>;
}

/** An event page seen through the ColumnSource interface (used after filling). */
export class EventPageSource implements ColumnSource {
  readonly rows: number;
  readonly #page: EventPage;
  constructor(page: EventPage) {
    this.#page = page;
    this.rows = page.uid.length;
  }
  #values(part: PagePart, key = ""): readonly unknown[] | undefined {
    const page = this.#page;
    if (part === "uid" || part === "time" || part === "seq_num") return page[part];
    return page[part]?.[key];
  }
  has(part: PagePart, key = ""): boolean {
    return this.#values(part, key) !== undefined;
  }
  isNumeric(part: PagePart, key = ""): boolean {
    return (this.#values(part, key) ?? []).every((v) => typeof v === "number");
  }
  copyNumeric(
    part: PagePart,
    key: string,
    target: Float64Array,
    at: number,
    from = 0,
    to = this.rows,
  ): void {
    const values = this.#values(part, key) as number[];
    for (let i = from; i < to; i++) target[at + i - from] = values[i]!;
  }
  column(part: PagePart, key = ""): unknown[] {
    return [...(this.#values(part, key) ?? [])];
  }
}

export interface AssembleOptions {
  /** Data keys to read (all of `fields` must be named; see Stream.read). */
  fields: readonly string[];
  /** Also read the timestamps of these fields. */
  timestamps: boolean;
  uid: boolean;
  /** Keep rows with from <= seq_num < to. */
  from: number;
  to: number;
}

interface Window {
  source: ColumnSource;
  from: number;
  to: number;
}

/** Builds the table from pages given in arrival order. */
export function assembleColumns(
  sources: readonly ColumnSource[],
  options: AssembleOptions,
): StreamTable {
  const seqs = sources.map((s) => {
    const seq = new Float64Array(s.rows);
    s.copyNumeric("seq_num", "", seq, 0);
    return seq;
  });
  const windows = orderedWindows(sources, seqs, options);
  return windows ? fromWindows(windows, options) : fromScattered(sources, seqs, options);
}

/** Per-page row windows when seq_nums increase strictly across pages in arrival order. */
function orderedWindows(
  sources: readonly ColumnSource[],
  seqs: readonly Float64Array[],
  options: AssembleOptions,
): Window[] | null {
  const windows: Window[] = [];
  let last = -Infinity;
  for (let p = 0; p < sources.length; p++) {
    const seq = seqs[p]!;
    let from = -1;
    let to = -1;
    for (let i = 0; i < seq.length; i++) {
      const s = seq[i]!;
      if (s <= last) return null;
      last = s;
      if (s >= options.from && s < options.to) {
        if (from < 0) from = i;
        to = i + 1;
      }
    }
    if (from >= 0) windows.push({ source: sources[p]!, from, to });
  }
  return windows;
}

function fromWindows(windows: readonly Window[], options: AssembleOptions): StreamTable {
  const length = windows.reduce((n, w) => n + w.to - w.from, 0);
  const read = (part: PagePart, key: string): Column => {
    if (windows.every((w) => w.source.has(part, key) && w.source.isNumeric(part, key))) {
      const out = new Float64Array(length);
      let at = 0;
      for (const w of windows) {
        w.source.copyNumeric(part, key, out, at, w.from, w.to);
        at += w.to - w.from;
      }
      return out;
    }
    const out: unknown[] = [];
    for (const w of windows) {
      const values = w.source.has(part, key)
        ? w.source.column(part, key)
        : new Array(w.source.rows).fill(null);
      for (let i = w.from; i < w.to; i++) out.push(values[i]);
    }
    return out;
  };
  return buildTable(length, read, options);
}

function fromScattered(
  sources: readonly ColumnSource[],
  seqs: readonly Float64Array[],
  options: AssembleOptions,
): StreamTable {
  // Later pages overwrite earlier ones: the latest event for a seq_num wins.
  const latest = new Map<number, [number, number]>();
  for (let p = 0; p < sources.length; p++) {
    const seq = seqs[p]!;
    for (let i = 0; i < seq.length; i++) {
      const s = seq[i]!;
      if (s >= options.from && s < options.to) latest.set(s, [p, i]);
    }
  }
  const order = [...latest.keys()].sort((a, b) => a - b).map((s) => latest.get(s)!);
  const read = (part: PagePart, key: string): Column => {
    const columns = sources.map((s) => (s.has(part, key) ? s.column(part, key) : null));
    const values = order.map(([p, i]) => columns[p]?.[i] ?? null);
    return values.every((v) => typeof v === "number")
      ? Float64Array.from(values as number[])
      : values;
  };
  return buildTable(order.length, read, options);
}

function buildTable(
  length: number,
  read: (part: PagePart, key: string) => Column,
  options: AssembleOptions,
): StreamTable {
  const asFloat = (c: Column) => (c instanceof Float64Array ? c : Float64Array.from(c as number[]));
  const table: StreamTable = {
    length,
    seq_num: asFloat(read("seq_num", "")),
    time: asFloat(read("time", "")),
    data: {},
    timestamps: {},
  };
  if (options.uid) table.uid = read("uid", "") as string[];
  for (const key of options.fields) {
    table.data[key] = read("data", key);
    if (options.timestamps) table.timestamps[key] = read("timestamps", key);
  }
  return table;
}
