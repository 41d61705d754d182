import { encodeJson } from "@cerulean/event-model";
import {
  allocate,
  castInto,
  checkScalar,
  dtypeInfo,
  type NumericArray,
  type NumericDtype,
} from "../core/dtype.ts";
import { product, toNdArray } from "../core/ndarray.ts";
import { DataShapeError } from "../errors.ts";
import { type H5Dataset, type H5Group, writeVlenStrings } from "./h5.ts";

/** What a column holds per row: numbers of a dtype and shape, or text. */
export type ColumnKind =
  | { type: "numeric"; dtype: NumericDtype; rowShape: number[] }
  | { type: "string" }
  | { type: "json" };

/** Rows checked and converted for a column: appending them cannot fail. */
export type PreparedRows =
  | { rows: number; scalars: readonly number[] }
  | { rows: number; numbers: NumericArray }
  | { rows: number; strings: readonly string[] };

const CHUNK_TARGET_BYTES = 64 * 1024;

/**
 * A 1-row-per-event dataset that grows as the run goes: chunked, unlimited along its first
 * dimension, rows buffered in memory until flush() appends them in one write.
 */
export class AppendableColumn {
  readonly kind: ColumnKind;
  readonly path: string;
  private readonly dataset: H5Dataset;
  private readonly rowSize: number;
  private buffer: NumericArray | null = null;
  private strings: string[] = [];
  private pendingRows = 0;
  private stringBytes = 0;
  private written = 0;

  constructor(group: H5Group, name: string, kind: ColumnKind) {
    this.kind = kind;
    this.path = `${group.path === "/" ? "" : group.path}/${name}`;
    if (kind.type === "numeric") {
      this.rowSize = product(kind.rowShape);
      const rowBytes = Math.max(1, this.rowSize * dtypeInfo(kind.dtype).bytes);
      const chunkRows = Math.max(1, Math.min(1024, Math.floor(CHUNK_TARGET_BYTES / rowBytes)));
      this.dataset = group.create_dataset({
        name,
        data: allocate(kind.dtype, 0) as never,
        shape: [0, ...kind.rowShape],
        maxshape: [null, ...kind.rowShape],
        chunks: [chunkRows, ...kind.rowShape],
      });
    } else {
      this.rowSize = 1;
      this.dataset = group.create_dataset({
        name,
        data: [],
        shape: [0],
        maxshape: [null],
        chunks: [256],
        dtype: "S",
      });
      if (kind.type === "json") this.dataset.create_attribute("encoding", "json");
    }
  }

  /** The dataset, for attributes. */
  get h5(): H5Dataset {
    return this.dataset;
  }

  /** Rows in the file plus rows waiting. */
  get length(): number {
    return this.written + this.pendingRows;
  }

  /** Bytes waiting to be written. */
  get bufferedBytes(): number {
    if (this.kind.type !== "numeric") return this.stringBytes;
    return this.pendingRows * this.rowSize * dtypeInfo(this.kind.dtype).bytes;
  }

  /** Converts `values` (one per row) for this column; throws DataShapeError if they do not fit. */
  prepare(values: readonly unknown[], where: string): PreparedRows {
    const kind = this.kind;
    if (kind.type === "string") {
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] !== "string") {
          throw new DataShapeError(
            `${where}: row ${i} is ${JSON.stringify(values[i])}, not a string`,
          );
        }
      }
      return { rows: values.length, strings: values as readonly string[] };
    }
    if (kind.type === "json") return { rows: values.length, strings: values.map(jsonText) };
    if (kind.rowShape.length === 0) {
      let scalars = values as readonly number[];
      for (let i = 0; i < values.length; i++) {
        const checked = checkScalar(values[i], kind.dtype, `${where} row ${i}`);
        if (checked !== values[i]) {
          if (scalars === values) scalars = [...(values as number[])];
          (scalars as number[])[i] = checked;
        }
      }
      return { rows: values.length, scalars };
    }
    const numbers = allocate(kind.dtype, this.rowSize * values.length);
    values.forEach((value, i) => {
      const row = toNdArray(value, kind.rowShape, `${where} row ${i}`);
      if (row.data.length !== this.rowSize || row.shape.join() !== kind.rowShape.join()) {
        throw new DataShapeError(
          `${where}: row ${i} has shape ${JSON.stringify(row.shape)}, but the dataset's rows have shape ${JSON.stringify(kind.rowShape)}`,
        );
      }
      castInto(numbers, i * this.rowSize, row.data, kind.dtype, `${where} row ${i}`);
    });
    return { rows: values.length, numbers };
  }

  /**
   * Like prepare(), but a row that does not fit becomes this column's fill value (NaN for
   * floats, 0 for integers, "" for text) and is reported to `misfit` with its error, so the
   * other rows, and the event's other columns, are still written.
   */
  prepareEach(
    values: readonly unknown[],
    where: string,
    misfit: (row: number, error: DataShapeError) => void,
  ): PreparedRows {
    try {
      return this.prepare(values, where);
    } catch (err) {
      if (!(err instanceof DataShapeError)) throw err;
    }
    const rows = values.map((value, i) => {
      try {
        return this.prepare([value], `${where} row ${i}`);
      } catch (err) {
        if (!(err instanceof DataShapeError)) throw err;
        misfit(i, err);
        return this.fillRow();
      }
    });
    if (this.kind.type !== "numeric") {
      return { rows: rows.length, strings: rows.flatMap((r) => ("strings" in r ? r.strings : [])) };
    }
    const numbers = allocate(this.kind.dtype, this.rowSize * rows.length);
    rows.forEach((r, i) => {
      const data = "numbers" in r ? r.numbers : "scalars" in r ? r.scalars : [];
      if ("scalars" in r && (numbers instanceof BigInt64Array || numbers instanceof BigUint64Array))
        numbers[i] = BigInt(data[0] as number);
      else
        (numbers as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(
          data,
          i * this.rowSize,
        );
    });
    return { rows: rows.length, numbers };
  }

  /** What the column holds in place of a value that does not fit. */
  get fillValue(): number | string {
    if (this.kind.type !== "numeric") return "";
    return dtypeInfo(this.kind.dtype).kind === "f" ? Number.NaN : 0;
  }

  /** The column's row type in words, e.g. `float64 of shape [3,5]` or `text`. */
  describe(): string {
    const kind = this.kind;
    if (kind.type !== "numeric") return kind.type === "json" ? "JSON text" : "text";
    return `${kind.dtype} of shape ${JSON.stringify(kind.rowShape)}`;
  }

  private fillRow(): PreparedRows {
    const fill = this.fillValue;
    if (typeof fill === "string") return { rows: 1, strings: [fill] };
    if (this.rowSize === 1 && this.kind.type === "numeric" && this.kind.rowShape.length === 0)
      return { rows: 1, scalars: [fill] };
    const numbers = allocate((this.kind as { dtype: NumericDtype }).dtype, this.rowSize);
    if (Number.isNaN(fill)) (numbers as Float64Array).fill(fill);
    return { rows: 1, numbers };
  }

  /** Queues prepared rows; they reach the file at flush(). */
  append(rows: PreparedRows): void {
    if (rows.rows === 0) return;
    if ("strings" in rows) {
      for (const text of rows.strings) {
        this.strings.push(text);
        this.stringBytes += text.length;
      }
      this.pendingRows += rows.rows;
      return;
    }
    const buffer = this.reserve(rows.rows);
    const at = this.pendingRows * this.rowSize;
    if ("numbers" in rows) {
      (buffer as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(rows.numbers, at);
    } else if (buffer instanceof BigInt64Array || buffer instanceof BigUint64Array) {
      for (let i = 0; i < rows.rows; i++) buffer[at + i] = BigInt(rows.scalars[i] as number);
    } else {
      for (let i = 0; i < rows.rows; i++)
        (buffer as Float64Array)[at + i] = rows.scalars[i] as number;
    }
    this.pendingRows += rows.rows;
  }

  /** Appends the queued rows to the dataset. */
  flush(): void {
    const total = this.pendingRows;
    if (total === 0) return;
    const start = this.written;
    if (this.kind.type === "numeric") {
      const rowShape = this.kind.rowShape;
      this.dataset.resize([start + total, ...rowShape]);
      const data = (this.buffer as NumericArray).subarray(0, total * this.rowSize);
      this.dataset.write_slice([[start, start + total], ...rowShape.map(() => [] as [])], data);
    } else {
      this.dataset.resize([start + total]);
      writeVlenStrings(this.dataset, start, this.strings);
      this.strings = [];
      this.stringBytes = 0;
    }
    this.written = start + total;
    this.pendingRows = 0;
  }

  /** The buffer, grown to take `rows` more rows. */
  private reserve(rows: number): NumericArray {
    const needed = (this.pendingRows + rows) * this.rowSize;
    const kind = this.kind as { dtype: NumericDtype };
    if (this.buffer === null || this.buffer.length < needed) {
      const grown = allocate(kind.dtype, Math.max(needed, (this.buffer?.length ?? 0) * 2, 64));
      if (this.buffer) {
        (grown as unknown as { set(a: ArrayLike<unknown>): void }).set(
          this.buffer.subarray(0, this.pendingRows * this.rowSize),
        );
      }
      this.buffer = grown;
    }
    return this.buffer;
  }
}

/** A value as JSON text that keeps NaN and ±Infinity (Python's tokens), which JSON.stringify makes null. */
function jsonText(value: unknown): string {
  if (value === undefined) return "null";
  try {
    return encodeJson(value);
  } catch (err) {
    throw new DataShapeError(`${(err as Error).message}; JSON cannot hold it`, { cause: err });
  }
}
