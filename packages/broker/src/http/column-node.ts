// One column of a stream's table served as an array node (/<uid>/<stream>/internal/<column>):
// Tiled's composite client addresses table columns this way.
import type { Column } from "../run/column-reader.ts";
import type { Stream } from "../run/stream.ts";
import {
  type ArrayStructure,
  type DataType,
  dataTypeOf,
  innerShape,
  rowChunks,
} from "./structure.ts";
import { splitKeys } from "./tree.ts";

/** The data key behind a column, or null for seq_num, time and the ts_<key> timestamps. */
function dataKeyOf(stream: Stream, column: string): string | null {
  return splitKeys(stream).scalars.includes(column) ? column : null;
}

/** Reads rows [start, stop) of a table column. */
export async function readColumn(
  stream: Stream,
  column: string,
  start: number,
  stop: number,
): Promise<Column> {
  const key = dataKeyOf(stream, column);
  if (key !== null) {
    const table = await stream.read({ fields: [key], start, stop });
    return table.data[key] ?? [];
  }
  const timestampOf = column.startsWith("ts_") ? column.slice(3) : null;
  const table = await stream.read({
    fields: timestampOf ? [timestampOf] : [],
    timestamps: timestampOf !== null,
    start,
    stop,
  });
  if (column === "seq_num") return table.seq_num;
  if (column === "time") return table.time;
  return table.timestamps[timestampOf ?? ""] ?? [];
}

/** numpy's fixed-width unicode type wide enough for every string in `values`. */
function unicodeType(values: Column): DataType {
  let longest = 1;
  for (const v of values) if (typeof v === "string") longest = Math.max(longest, [...v].length);
  return { endianness: "little", kind: "U", itemsize: 4 * longest, dt_units: null };
}

/** The ArrayStructure of a table column: one row per event, as the stream's arrays have. */
export async function columnStructure(stream: Stream, column: string): Promise<ArrayStructure> {
  const rows = await stream.length();
  const key = dataKeyOf(stream, column);
  const dataKey = key === null ? null : stream.dataKeys[key]!;
  let dataType: DataType;
  if (column === "seq_num" && key === null)
    dataType = { endianness: "little", kind: "i", itemsize: 8, dt_units: null };
  else if (dataKey === null)
    dataType = { endianness: "little", kind: "f", itemsize: 8, dt_units: null };
  else if (dataKey.dtype === "string")
    dataType = unicodeType(await readColumn(stream, column, 0, rows));
  else dataType = dataTypeOf(dataKey);
  const inner = key === null ? [] : await innerShape(stream, key);
  const dims =
    dataKey?.dims?.length === inner.length ? dataKey.dims : inner.map((_, i) => `dim_${i + 1}`);
  return {
    data_type: dataType,
    chunks: [rowChunks(rows, inner), ...inner.map((d) => [d])],
    shape: [rows, ...inner],
    dims: ["time", ...dims],
    resizable: false,
  };
}
