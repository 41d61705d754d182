// Tiled's structures for the nodes of the tree: ArrayStructure and TableStructure.
import type { DataKey } from "@cerulean/event-model";
import type { Stream } from "../run/stream.ts";
import { arrowSchemaDataUri } from "./arrow/table-schema.ts";
import { splitKeys, tableColumns } from "./tree.ts";

/** numpy-style data type: kind (f, i, u, b...), bytes per item, byte order. */
export interface DataType {
  endianness: "little" | "big" | "not_applicable";
  kind: string;
  itemsize: number;
  dt_units: string | null;
}

export interface ArrayStructure {
  data_type: DataType;
  chunks: number[][];
  shape: number[];
  dims: string[];
  resizable: boolean;
}

export interface TableStructure {
  arrow_schema: string;
  npartitions: number;
  columns: string[];
  resizable: boolean;
}

/** Rows per table partition. */
export const PARTITION_ROWS = 100_000;
/** Elements per array chunk (16 MB of float64). */
const CHUNK_ELEMENTS = 1 << 21;

/** The data type of a data key: its dtype_numpy when given, else from its JSON dtype. */
export function dataTypeOf(dataKey: DataKey): DataType {
  const numpy =
    typeof dataKey.dtype_numpy === "string"
      ? /([<>|=])([fiub])(\d+)/.exec(dataKey.dtype_numpy)
      : null;
  if (
    numpy &&
    ["f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"].includes(
      `${numpy[2]}${numpy[3]}`,
    )
  ) {
    const itemsize = Number(numpy[3]);
    return {
      endianness: itemsize === 1 ? "not_applicable" : "little",
      kind: numpy[2]!,
      itemsize,
      dt_units: null,
    };
  }
  if (dataKey.dtype === "integer")
    return { endianness: "little", kind: "i", itemsize: 8, dt_units: null };
  if (dataKey.dtype === "boolean")
    return { endianness: "not_applicable", kind: "b", itemsize: 1, dt_units: null };
  return { endianness: "little", kind: "f", itemsize: 8, dt_units: null };
}

/** The shape of one value of a nested array. */
export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/** The shape of one event's value: the descriptor's when complete, else the first row's. */
export async function innerShape(stream: Stream, key: string): Promise<number[]> {
  const declared = stream.dataKeys[key]?.shape ?? [];
  if (declared.every((d): d is number => typeof d === "number")) return declared;
  const first = await stream.read({ fields: [key], start: 0, stop: 1 });
  return shapeOf(first.data[key]?.[0]);
}

/** Row counts of the chunks along the first dimension. */
export function rowChunks(rows: number, inner: readonly number[]): number[] {
  const perRow = inner.reduce((a, b) => a * b, 1);
  const size = Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(1, perRow)));
  if (rows === 0) return [0];
  const chunks: number[] = [];
  for (let at = 0; at < rows; at += size) chunks.push(Math.min(size, rows - at));
  return chunks;
}

/** The ArrayStructure of a non-scalar data key of a stream. */
export async function arrayStructure(stream: Stream, key: string): Promise<ArrayStructure> {
  const dataKey = stream.dataKeys[key]!;
  const inner = await innerShape(stream, key);
  const rows = await stream.length();
  const dims =
    dataKey.dims?.length === inner.length ? dataKey.dims : inner.map((_, i) => `dim_${i + 1}`);
  return {
    data_type: dataTypeOf(dataKey),
    chunks: [rowChunks(rows, inner), ...inner.map((d) => [d])],
    shape: [rows, ...inner],
    dims: ["time", ...dims],
    resizable: false,
  };
}

/** The TableStructure of a stream's table of scalar columns. */
export async function tableStructure(stream: Stream): Promise<TableStructure> {
  const rows = await stream.length();
  const columns = tableColumns(stream);
  const { scalars } = splitKeys(stream);
  const types = Object.fromEntries(scalars.map((k) => [k, stream.dataKeys[k]!]));
  return {
    arrow_schema: arrowSchemaDataUri(columns, types),
    npartitions: Math.max(1, Math.ceil(rows / PARTITION_ROWS)),
    columns,
    resizable: false,
  };
}
