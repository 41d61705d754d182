// Python publishers often pack numpy values with msgpack-numpy, which writes an array as a map
// {nd: true, type: "<f8", kind: "", shape: [..], data: <raw bytes>} (a scalar with nd: false).
// Those maps are turned into (nested) arrays of numbers here, so their documents read like ours.
// Structured ('V') and object ('O', a pickle) arrays and dtypes we cannot read stay maps.
import { BusDecodeError } from "../errors.ts";

type Reader = (view: DataView, offset: number, little: boolean) => number | boolean;

const READERS: Record<string, { size: number; read: Reader }> = {
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  i8: { size: 8, read: (v, o, le) => safeNumber(v.getBigInt64(o, le)) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  u8: { size: 8, read: (v, o, le) => safeNumber(v.getBigUint64(o, le)) },
  b1: { size: 1, read: (v, o) => v.getUint8(o) !== 0 },
};

function safeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new BusDecodeError(
      `a msgpack-numpy 64-bit integer ${value} is beyond ±2^53-1, which a JavaScript number holds exactly`,
    );
  }
  return n;
}

/** Returns `value` with every msgpack-numpy array or scalar map replaced by numbers. */
export function reviveMsgpackNumpy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveMsgpackNumpy);
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  const revived = reviveArray(record);
  if (revived !== undefined) return revived;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    Object.defineProperty(out, key, {
      value: reviveMsgpackNumpy(record[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function reviveArray(map: Record<string, unknown>): unknown {
  const { nd, type, data } = map;
  const kind = map["kind"];
  if (typeof nd !== "boolean" || typeof type !== "string" || !(data instanceof Uint8Array)) {
    return undefined;
  }
  if (kind instanceof Uint8Array && kind.length > 0) return undefined; // structured or object
  const match = /^([<>|=])([a-z])(\d+)$/.exec(type);
  const reader = match ? READERS[`${match[2]}${match[3]}`] : undefined;
  if (!match || !reader) return undefined;
  const little = match[1] !== ">";
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (!nd) {
    if (data.byteLength < reader.size) return undefined;
    return reader.read(view, 0, little);
  }
  const shape = map["shape"];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return undefined;
  }
  const dims = shape as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  if (count * reader.size !== data.byteLength) {
    throw new BusDecodeError(
      `a msgpack-numpy array of type ${type} and shape [${dims.join(", ")}] carries ${data.byteLength} bytes; expected ${count * reader.size}`,
    );
  }
  let index = 0;
  const build = (dim: number): unknown => {
    if (dim === dims.length) return reader.read(view, reader.size * index++, little);
    const length = dims[dim] ?? 0;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = build(dim + 1);
    return out;
  };
  return build(0);
}
