// Column helpers shared by the event-page and datum-page conversions (not public API).
import { EventModelValueError } from "./errors.ts";
import { setOwn } from "./own-property.ts";

export type Row = Record<string, unknown>;
export type Columns = Record<string, unknown[]>;

export function checkLength(column: unknown, n: number, what: string): void {
  if (!Array.isArray(column)) throw new EventModelValueError(`${what} must be an array`);
  if (column.length !== n) {
    throw new EventModelValueError(`${what} has ${column.length} rows but uid/datum_id has ${n}`);
  }
}

/** Columns as parallel arrays of keys and values, for fast row building. */
export interface PreparedColumns {
  keys: string[];
  values: unknown[][];
}

export function prepareColumns(columns: Columns): PreparedColumns {
  const keys = Object.keys(columns);
  return { keys, values: keys.map((k) => columns[k]!) };
}

export function rowOf({ keys, values }: PreparedColumns, i: number): Row {
  const row: Row = {};
  for (let j = 0; j < keys.length; j++) setOwn(row, keys[j]!, values[j]![i]);
  return row;
}

/**
 * Transposes `rows[i][field]` into columns keyed like the first row. A missing `filled` counts
 * as `{}`; any other missing part, or a key set differing from the first row's, throws.
 */
export function columnsOf(
  rows: readonly Row[],
  field: string,
  caller: string,
  label: (i: number) => string,
): Columns {
  const keys = Object.keys(partOf(rows, 0, field, caller, label));
  const n = keys.length;
  const columns: Columns = {};
  const values: unknown[][] = keys.map((k) => {
    const column: unknown[] = [];
    setOwn(columns, k, column);
    return column;
  });
  for (let i = 0; i < rows.length; i++) {
    let row = rows[i]![field] as Row;
    if (typeof row !== "object" || row === null) row = partOf(rows, i, field, caller, label);
    let count = 0;
    for (const _ in row) count++;
    if (count !== n) keyMismatch(keys, row, field, caller, label(i));
    for (let j = 0; j < n; j++) {
      const key = keys[j]!;
      const value = row[key];
      if (value === undefined && !(key in row)) keyMismatch(keys, row, field, caller, label(i));
      values[j]!.push(value);
    }
  }
  return columns;
}

/** `rows[i][field]`, checked to be an object; a missing `filled` counts as `{}`. */
function partOf(
  rows: readonly Row[],
  i: number,
  field: string,
  caller: string,
  label: (i: number) => string,
): Row {
  const value = rows[i]![field];
  if (value === undefined && field === "filled") return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EventModelValueError(
      `${caller}: ${label(i)} has ${field} = ${JSON.stringify(value)}; expected an object`,
    );
  }
  return value as Row;
}

/** Concatenates `parts[p][field]` column by column, requiring the same keys in every part. */
export function concatColumns(
  parts: readonly Row[],
  field: string,
  caller: string,
  label: (p: number) => string,
): Columns {
  const columns: Columns = {};
  const keys = Object.keys((parts[0]![field] as Columns | undefined) ?? {});
  for (const key of keys) setOwn(columns, key, []);
  for (let p = 0; p < parts.length; p++) {
    const part = (parts[p]![field] as Columns | undefined) ?? {};
    if (Object.keys(part).length !== keys.length) keyMismatch(keys, part, field, caller, label(p));
    for (const key of keys) {
      const column = part[key];
      if (column === undefined) keyMismatch(keys, part, field, caller, label(p));
      appendAll(columns[key]!, column);
    }
  }
  return columns;
}

export function concatField<P, T>(pages: readonly P[], field: (p: P) => T[]): T[] {
  const out: T[] = [];
  for (const page of pages) appendAll(out, field(page));
  return out;
}

function appendAll<T>(target: T[], source: readonly T[]): void {
  for (let i = 0; i < source.length; i++) target.push(source[i]!);
}

function keyMismatch(
  expected: readonly string[],
  row: object,
  field: string,
  caller: string,
  what: string,
): never {
  const got = Object.keys(row);
  const missing = expected.filter((k) => !got.includes(k));
  const extra = got.filter((k) => !expected.includes(k));
  throw new EventModelValueError(
    `${caller}: the ${field} keys of ${what} differ from the first's (missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}); columns must have one length`,
  );
}

export function sliceColumns<T>(columns: Record<string, T[]>, start: number, stop: number) {
  const out: Record<string, T[]> = {};
  for (const key in columns) setOwn(out, key, columns[key]!.slice(start, stop));
  return out;
}

export interface PageOps<P> {
  rows(page: P): number;
  slice(page: P, start: number, stop: number): P;
  merge(pages: readonly P[]): P;
}

export function* rechunk<P>(pages: Iterable<P>, size: number, caller: string, ops: PageOps<P>) {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new EventModelValueError(`${caller}: size must be a positive integer, got ${size}`);
  }
  let pieces: P[] = [];
  let buffered = 0;
  for (const page of pages) {
    const n = ops.rows(page);
    let offset = 0;
    while (offset < n) {
      const take = Math.min(size - buffered, n - offset);
      pieces.push(ops.slice(page, offset, offset + take));
      buffered += take;
      offset += take;
      if (buffered === size) {
        yield ops.merge(pieces);
        pieces = [];
        buffered = 0;
      }
    }
  }
  if (pieces.length > 0) yield ops.merge(pieces);
}
