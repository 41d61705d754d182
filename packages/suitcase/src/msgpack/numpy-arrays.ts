// Python's suitcase-msgpack writes numpy values with msgpack_numpy: a map with binary keys
// {nd: true, type: "<f8", kind: "", shape: [..], data: <bytes>} for an array, {nd: false, ...}
// for a numpy scalar. Readers here get what the JSON documents hold: (nested) arrays of numbers.

type Reader = (view: DataView, at: number, little: boolean) => number | bigint | boolean;

const READERS: Record<string, [number, Reader]> = {
  f8: [8, (v, at, le) => v.getFloat64(at, le)],
  f4: [4, (v, at, le) => v.getFloat32(at, le)],
  i8: [8, (v, at, le) => safe(v.getBigInt64(at, le))],
  u8: [8, (v, at, le) => safe(v.getBigUint64(at, le))],
  i4: [4, (v, at, le) => v.getInt32(at, le)],
  u4: [4, (v, at, le) => v.getUint32(at, le)],
  i2: [2, (v, at, le) => v.getInt16(at, le)],
  u2: [2, (v, at, le) => v.getUint16(at, le)],
  i1: [1, (v, at) => v.getInt8(at)],
  u1: [1, (v, at) => v.getUint8(at)],
  b1: [1, (v, at) => v.getUint8(at) !== 0],
};

/** A 64-bit integer as a number when that is exact, else as a bigint (never rounded). */
function safe(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

const utf8 = new TextDecoder();

/** The map-key converter for the msgpack decoder: binary keys (msgpack_numpy's) become strings. */
export function mapKey(key: unknown): string | number {
  if (typeof key === "string" || typeof key === "number") return key;
  if (key instanceof Uint8Array) return utf8.decode(key);
  return String(key);
}

/** `value` with every msgpack_numpy array or scalar (of a plain numeric or bool dtype) replaced. */
export function fromNumpy(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromNumpy(value[i]);
    return value;
  }
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  const decoded = numpyValue(record);
  if (decoded !== undefined) return decoded;
  for (const key of Object.keys(record)) record[key] = fromNumpy(record[key]);
  return record;
}

function numpyValue(record: Record<string, unknown>): unknown {
  const { nd, type, data } = record as { nd?: unknown; type?: unknown; data?: unknown };
  if (typeof nd !== "boolean" || typeof type !== "string" || !(data instanceof Uint8Array))
    return undefined;
  const match = /^([<>|=]?)([fiub][1248])$/.exec(type);
  const reader = match ? READERS[match[2] as string] : undefined;
  if (!match || !reader) return undefined;
  const [size, read] = reader;
  const little = match[1] !== ">";
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = Math.floor(data.byteLength / size);
  if (!nd) return count === 1 ? read(view, 0, little) : undefined;
  const shape = record["shape"];
  if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
  const dims = shape as number[];
  if (dims.reduce((a, b) => a * b, 1) !== count) return undefined;
  let next = 0;
  const build = (depth: number): unknown[] =>
    Array.from({ length: dims[depth] as number }, () =>
      depth === dims.length - 1 ? read(view, size * next++, little) : build(depth + 1),
    );
  return dims.length === 0 ? read(view, 0, little) : build(0);
}
