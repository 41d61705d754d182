// Python's suitcase-msgpack writes numpy arrays through msgpack-numpy: a map with `nd: true`,
// the dtype string in `type`, `shape`, and the raw bytes in `data`. These become nested arrays.
import { IngestError } from "../errors.ts";

interface NumpyMap {
  nd: true;
  type: string;
  shape: number[];
  data: Uint8Array;
}

function isNumpyMap(value: unknown): value is NumpyMap {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<NumpyMap>;
  return (
    v.nd === true &&
    typeof v.type === "string" &&
    Array.isArray(v.shape) &&
    v.data instanceof Uint8Array
  );
}

const READERS: Record<
  string,
  [number, (view: DataView, offset: number, little: boolean) => number | bigint | boolean]
> = {
  f8: [8, (v, o, l) => v.getFloat64(o, l)],
  f4: [4, (v, o, l) => v.getFloat32(o, l)],
  i8: [8, (v, o, l) => v.getBigInt64(o, l)],
  u8: [8, (v, o, l) => v.getBigUint64(o, l)],
  i4: [4, (v, o, l) => v.getInt32(o, l)],
  u4: [4, (v, o, l) => v.getUint32(o, l)],
  i2: [2, (v, o, l) => v.getInt16(o, l)],
  u2: [2, (v, o, l) => v.getUint16(o, l)],
  i1: [1, (v, o) => v.getInt8(o)],
  u1: [1, (v, o) => v.getUint8(o)],
  b1: [1, (v, o) => v.getUint8(o) !== 0],
};

function decodeArray(value: NumpyMap): unknown {
  const match = /^([<>|=]?)([fiub])(\d+)$/.exec(value.type);
  const reader = match ? READERS[`${match[2]}${match[3]}`] : undefined;
  if (!match || !reader) {
    throw new IngestError(
      `msgpack-numpy array of dtype ${JSON.stringify(value.type)} is not supported (numbers and booleans only)`,
    );
  }
  const [size, read] = reader;
  const little = match[1] !== ">";
  const view = new DataView(value.data.buffer, value.data.byteOffset, value.data.byteLength);
  const count = value.shape.reduce((a, b) => a * b, 1);
  if (count * size !== value.data.byteLength) {
    throw new IngestError(
      `msgpack-numpy array of shape [${value.shape}] and dtype ${value.type} has ${value.data.byteLength} bytes, expected ${count * size}`,
    );
  }
  const flat: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const x = read(view, i * size, little);
    flat[i] = typeof x === "bigint" ? Number(x) : x;
  }
  const nest = (dims: number[], offset: number): unknown => {
    if (dims.length === 0) return flat[offset];
    const [n, ...rest] = dims;
    const stride = rest.reduce((a, b) => a * b, 1);
    return Array.from({ length: n! }, (_, i) => nest(rest, offset + i * stride));
  };
  return nest(value.shape, 0);
}

/** Replaces msgpack-numpy maps anywhere in `value` by nested arrays (in place where possible). */
export function fromMsgpackNumpy(value: unknown): unknown {
  if (isNumpyMap(value)) return decodeArray(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromMsgpackNumpy(value[i]);
    return value;
  }
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = fromMsgpackNumpy(record[key]);
  }
  return value;
}
