import {
  type DataKey,
  type EventDescriptor,
  type EventPage,
  encodeJson,
} from "@cerulean/event-model";
import { dtypeFromNumpy, dtypeOfArray, type NumericDtype } from "../core/dtype.ts";
import { toNdArray } from "../core/ndarray.ts";
import { DataShapeError } from "../errors.ts";
import type { H5Group } from "./h5.ts";
import { AppendableColumn, type ColumnKind, type PreparedRows } from "./h5-column.ts";
import { h5Name } from "./metadata.ts";

/** Called when a dataset of the stream first exists (to link it into NXdata). */
export type ColumnCreated = (key: string, path: string) => void;

/**
 * The datasets of one stream under `<stream>/`: `time`, `seq_num`, `uid`, `data/<key>` (a row per
 * event; images as 3-D datasets), `timestamps/<key>`, and `datum_id/<key>` for external data
 * still referenced by datum ids (the data itself is linked by the serializer).
 */
export class StreamWriter {
  readonly name: string;
  readonly group: H5Group;
  readonly data: H5Group;
  private readonly timestamps: H5Group;
  private datumIds: H5Group | null = null;
  private readonly columns = new Map<string, AppendableColumn>();
  private readonly onCreated: ColumnCreated;

  constructor(parent: H5Group, name: string, onCreated: ColumnCreated) {
    this.name = name;
    this.group = parent.create_group(h5Name(name));
    this.group.create_attribute("NX_class", "NXcollection");
    this.data = this.group.create_group("data");
    this.timestamps = this.group.create_group("timestamps");
    this.onCreated = onCreated;
  }

  /** Bytes waiting in memory across the stream's columns. */
  get bufferedBytes(): number {
    let bytes = 0;
    for (const column of this.columns.values()) bytes += column.bufferedBytes;
    return bytes;
  }

  /** Events waiting in memory. */
  get bufferedRows(): number {
    return this.pendingRows;
  }

  private pendingRows = 0;

  /**
   * Queues a page: every column is converted first, so the columns stay the same length. A value
   * that does not fit its column (wrong shape, a type the dtype cannot hold) never costs the
   * event: its cell gets the column's fill value (NaN for floats, 0 for integers, "" for text),
   * the value itself goes, as JSON, into the stream's `misfits` dataset (one record per misfit:
   * `{key, seq_num, value, dataset, expected, reason}`), and the first misfit of each key is reported
   * with process.emitWarning (code SUITCASE_HDF5_MISFIT).
   */
  appendPage(page: EventPage, descriptor: EventDescriptor): void {
    const rows = page.seq_num.length;
    if (rows === 0) return;
    const work: [AppendableColumn, PreparedRows][] = [];
    const misfits: Misfit[] = [];
    this.pageMisfits = misfits;
    this.page = page;
    try {
      this.prepare(
        work,
        "time",
        page.time,
        () => new AppendableColumn(this.group, "time", float64()),
      );
      this.prepare(
        work,
        "seq_num",
        page.seq_num,
        () => new AppendableColumn(this.group, "seq_num", int64()),
      );
      this.prepare(
        work,
        "uid",
        page.uid,
        () => new AppendableColumn(this.group, "uid", { type: "string" }),
      );
      for (const key in page.data) {
        const values = page.data[key] as unknown[];
        if (page.filled?.[key]?.[0] === false) {
          checkAllUnfilled(page, key);
          this.prepare(work, `datum_id/${key}`, values, () => {
            this.datumIds ??= this.group.create_group("datum_id");
            return new AppendableColumn(this.datumIds, h5Name(key), { type: "string" });
          });
        } else {
          this.prepare(work, `data/${key}`, values, () =>
            this.dataColumn(key, descriptor.data_keys[key], values[0]),
          );
        }
        const stamps = page.timestamps[key];
        if (stamps) {
          this.prepare(
            work,
            `timestamps/${key}`,
            stamps,
            () => new AppendableColumn(this.timestamps, h5Name(key), float64()),
          );
        }
      }
    } catch (err) {
      if (!(err instanceof DataShapeError)) throw err;
      throw new DataShapeError(
        `stream "${this.name}", the event page from seq_num ${page.seq_num[0]}: ${err.message}; none of its ${rows} events was written`,
        { cause: err },
      );
    }
    this.page = null;
    for (const [column, prepared] of work) column.append(prepared);
    this.pendingRows += rows;
    if (misfits.length > 0) this.recordMisfits(misfits);
  }

  private pageMisfits: Misfit[] = [];
  private page: EventPage | null = null;
  private misfitLog: AppendableColumn | null = null;
  private readonly warned = new Set<string>();

  private recordMisfits(misfits: readonly Misfit[]): void {
    this.misfitLog ??= new AppendableColumn(this.group, "misfits", { type: "json" });
    this.columns.set("misfits", this.misfitLog);
    const path = this.misfitLog.path;
    this.misfitLog.append({ rows: misfits.length, strings: misfits.map(misfitJson) });
    for (const m of misfits) {
      if (this.warned.has(m.key)) continue;
      this.warned.add(m.key);
      process.emitWarning(
        `HDF5 serializer: stream "${this.name}", key "${m.key}", seq_num ${m.seq_num}: the value ${summary(m.value)} does not fit the dataset (${m.expected}): ${m.reason}. The event is written with the fill value ${String(m.fill)} in its place and the value is kept as JSON in ${path}; later misfits of "${m.key}" go there without a warning.`,
        { code: "SUITCASE_HDF5_MISFIT" },
      );
    }
  }

  private prepare(
    work: [AppendableColumn, PreparedRows][],
    id: string,
    values: readonly unknown[],
    make: () => AppendableColumn,
  ): void {
    let column = this.columns.get(id);
    if (!column) {
      column = make();
      this.columns.set(id, column);
    }
    const at = column;
    const prepared = at.prepareEach(values, id, (row, error) => {
      const key = id.slice(id.indexOf("/") + 1);
      this.pageMisfits.push({
        key: id.includes("/") && !id.startsWith("data/") ? id : key,
        seq_num: this.page?.seq_num[row] ?? row,
        value: values[row],
        dataset: at.path,
        expected: at.describe(),
        reason: error.message,
        fill: at.fillValue,
      });
    });
    work.push([column, prepared]);
  }

  /** Writes every queued row. */
  flush(): void {
    for (const column of this.columns.values()) column.flush();
    this.pendingRows = 0;
  }

  private dataColumn(key: string, dataKey: DataKey | undefined, first: unknown): AppendableColumn {
    const kind = columnKind(dataKey, first, `data/${key}`);
    const column = new AppendableColumn(this.data, h5Name(key), kind);
    if (dataKey?.units) column.h5.create_attribute("units", dataKey.units);
    if (dataKey?.source) column.h5.create_attribute("source", dataKey.source);
    column.h5.create_attribute("target", column.path);
    this.onCreated(key, column.path);
    return column;
  }
}

function columnKind(dataKey: DataKey | undefined, first: unknown, where: string): ColumnKind {
  switch (dataKey?.dtype) {
    case "string":
      return typeof first === "string" ? { type: "string" } : { type: "json" };
    case "boolean":
      return { type: "numeric", dtype: "uint8", rowShape: [] };
    case "integer":
      return { type: "numeric", dtype: declaredDtype(dataKey) ?? "int64", rowShape: [] };
    case "number":
      return typeof first === "number" || first === null ? float64() : { type: "json" };
    default: {
      let value: { data: ArrayLike<number>; shape: number[] };
      try {
        value = toNdArray(first, dataKey?.shape, where);
      } catch (err) {
        if (err instanceof DataShapeError) return { type: "json" };
        throw err;
      }
      // Undeclared arrays are float64: it holds every JSON number, integer or not, exactly.
      const dtype = declaredDtype(dataKey) ?? dtypeOfArray(value.data) ?? "float64";
      return { type: "numeric", dtype, rowShape: value.shape };
    }
  }
}

function declaredDtype(dataKey: DataKey | undefined): NumericDtype | undefined {
  return dtypeFromNumpy(dataKey?.dtype_numpy);
}

function float64(): ColumnKind {
  return { type: "numeric", dtype: "float64", rowShape: [] };
}

function int64(): ColumnKind {
  return { type: "numeric", dtype: "int64", rowShape: [] };
}

function checkAllUnfilled(page: EventPage, key: string): void {
  const filled = page.filled?.[key] ?? [];
  const mixed = filled.findIndex((f) => f !== false);
  if (mixed >= 0) {
    throw new DataShapeError(
      `"${key}": filled mixes datum references and data within one page (row ${mixed}); send them in separate pages`,
    );
  }
}

interface Misfit {
  /** The data key ("time", "uid"... for the event's own fields, "timestamps/<key>" for stamps). */
  key: string;
  seq_num: number;
  value: unknown;
  /** The dataset that holds the fill value. */
  dataset: string;
  expected: string;
  reason: string;
  fill: number | string;
}

function misfitJson(m: Misfit): string {
  const record = {
    key: m.key,
    seq_num: m.seq_num,
    value: m.value,
    dataset: m.dataset,
    expected: m.expected,
    reason: m.reason,
  };
  try {
    return encodeJson(record);
  } catch {
    // A value JSON cannot hold (a function, a symbol) is kept as its text.
    return encodeJson({ ...record, value: String(m.value) });
  }
}

function summary(value: unknown): string {
  let text: string;
  try {
    text = encodeJson(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
