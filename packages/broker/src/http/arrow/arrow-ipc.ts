// Apache Arrow IPC (format version 5), the few types a stream table needs: float64, int64,
// utf8 and bool columns, nullable. Tiled describes tables by an Arrow schema and serves them as
// Arrow files by default, which is what the Python Tiled client reads.
import { type FbObject, fb, finish, structs } from "./flatbuffer.ts";

export type ArrowType = "float64" | "int64" | "utf8" | "bool";

export interface ArrowField {
  name: string;
  type: ArrowType;
}

export interface ArrowColumn extends ArrowField {
  values: ArrayLike<unknown>;
}

const METADATA_V5 = 4;
const HEADER_SCHEMA = 1;
const HEADER_RECORD_BATCH = 3;
const MAGIC = Buffer.from("ARROW1", "ascii");

function typeOf(type: ArrowType): { id: number; table: FbObject } {
  switch (type) {
    case "float64":
      return { id: 3, table: fb.table(fb.i16(2)) };
    case "int64":
      return { id: 2, table: fb.table(fb.i32(64), fb.bool(true)) };
    case "utf8":
      return { id: 5, table: fb.table() };
    case "bool":
      return { id: 6, table: fb.table() };
  }
}

function schemaTable(fields: readonly ArrowField[]): FbObject {
  const items = fields.map((f) => {
    const t = typeOf(f.type);
    return fb.table(
      fb.offset(fb.string(f.name)),
      fb.bool(true),
      fb.u8(t.id),
      fb.offset(t.table),
      undefined,
      fb.offset(fb.tables([])),
    );
  });
  return fb.table(fb.i16(0), fb.offset(fb.tables(items)));
}

/** An encapsulated IPC message: continuation marker, metadata length, metadata, body. */
function message(
  headerType: number,
  header: FbObject,
  body: Uint8Array,
): { bytes: Uint8Array; metadataLength: number } {
  const meta = finish(
    fb.table(fb.i16(METADATA_V5), fb.u8(headerType), fb.offset(header), fb.i64(body.length)),
  );
  const bytes = new Uint8Array(8 + meta.length + body.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xffffffff, true);
  view.setInt32(4, meta.length, true);
  bytes.set(meta, 8);
  bytes.set(body, 8 + meta.length);
  return { bytes, metadataLength: 8 + meta.length };
}

/** The schema as an encapsulated IPC message (what pyarrow's `Schema.serialize()` gives). */
export function arrowSchemaMessage(fields: readonly ArrowField[]): Uint8Array {
  return message(HEADER_SCHEMA, schemaTable(fields), new Uint8Array(0)).bytes;
}

interface Buffers {
  parts: Uint8Array[];
  nodes: { length: number; nulls: number }[];
  buffers: { offset: number; length: number }[];
  size: number;
}

function pushBuffer(b: Buffers, bytes: Uint8Array): void {
  b.buffers.push({ offset: b.size, length: bytes.length });
  const padded = Math.ceil(bytes.length / 8) * 8;
  const out = new Uint8Array(padded);
  out.set(bytes);
  b.parts.push(out);
  b.size += padded;
}

function bitmap(rows: number, bit: (i: number) => boolean): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (bit(i)) bytes[i >> 3]! |= 1 << (i & 7);
  return bytes;
}

function isValid(type: ArrowType, value: unknown): boolean {
  switch (type) {
    case "float64":
      return typeof value === "number";
    case "int64":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "bool":
      return typeof value === "boolean";
    case "utf8":
      return value !== null && value !== undefined;
  }
}

function encodeColumn(b: Buffers, column: ArrowColumn, rows: number): void {
  const { type, values } = column;
  let nulls = 0;
  for (let i = 0; i < rows; i++) if (!isValid(type, values[i])) nulls++;
  b.nodes.push({ length: rows, nulls });
  pushBuffer(b, nulls ? bitmap(rows, (i) => isValid(type, values[i])) : new Uint8Array(0));
  if (type === "float64") {
    const data =
      values instanceof Float64Array
        ? values
        : Float64Array.from({ length: rows }, (_, i) =>
            typeof values[i] === "number" ? (values[i] as number) : 0,
          );
    pushBuffer(b, new Uint8Array(data.buffer, data.byteOffset, rows * 8));
  } else if (type === "int64") {
    const data = BigInt64Array.from({ length: rows }, (_, i) =>
      isValid("int64", values[i]) ? BigInt(values[i] as number) : 0n,
    );
    pushBuffer(b, new Uint8Array(data.buffer));
  } else if (type === "bool") {
    pushBuffer(
      b,
      bitmap(rows, (i) => values[i] === true),
    );
  } else {
    const strings = Array.from({ length: rows }, (_, i) => {
      const v = values[i];
      return typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v);
    });
    const data = Buffer.from(strings.join(""), "utf8");
    const offsets = new Int32Array(rows + 1);
    let at = 0;
    strings.forEach((s, i) => {
      at += Buffer.byteLength(s, "utf8");
      offsets[i + 1] = at;
    });
    pushBuffer(b, new Uint8Array(offsets.buffer));
    pushBuffer(b, data);
  }
}

function recordBatch(
  columns: readonly ArrowColumn[],
  rows: number,
): { bytes: Uint8Array; metadataLength: number } {
  const b: Buffers = { parts: [], nodes: [], buffers: [], size: 0 };
  for (const column of columns) encodeColumn(b, column, rows);
  const body = new Uint8Array(b.size);
  let at = 0;
  for (const part of b.parts) {
    body.set(part, at);
    at += part.length;
  }
  const nodes = structs(b.nodes, 16, (v, o, n) => {
    v.setBigInt64(o, BigInt(n.length), true);
    v.setBigInt64(o + 8, BigInt(n.nulls), true);
  });
  const buffers = structs(b.buffers, 16, (v, o, n) => {
    v.setBigInt64(o, BigInt(n.offset), true);
    v.setBigInt64(o + 8, BigInt(n.length), true);
  });
  return message(
    HEADER_RECORD_BATCH,
    fb.table(fb.i64(rows), fb.offset(nodes), fb.offset(buffers)),
    body,
  );
}

/** An Arrow IPC file holding the columns as one record batch. */
export function arrowFile(columns: readonly ArrowColumn[], rows: number): Uint8Array {
  const schema = message(HEADER_SCHEMA, schemaTable(columns), new Uint8Array(0));
  const batch = recordBatch(columns, rows);
  const batchOffset = 8 + schema.bytes.length;
  const blocks = structs(
    [
      {
        offset: batchOffset,
        meta: batch.metadataLength,
        body: batch.bytes.length - batch.metadataLength,
      },
    ],
    24,
    (v, o, x) => {
      v.setBigInt64(o, BigInt(x.offset), true);
      v.setInt32(o + 8, x.meta, true);
      v.setBigInt64(o + 16, BigInt(x.body), true);
    },
  );
  const footer = finish(
    fb.table(
      fb.i16(METADATA_V5),
      fb.offset(schemaTable(columns)),
      fb.offset(structs([], 24, () => {})),
      fb.offset(blocks),
    ),
  );
  const eos = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setInt32(0, footer.length, true);
  return Buffer.concat([
    MAGIC,
    new Uint8Array(2),
    schema.bytes,
    batch.bytes,
    eos,
    footer,
    tail,
    MAGIC,
  ]);
}
