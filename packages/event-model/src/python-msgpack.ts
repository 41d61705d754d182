// msgpack as Python writes it, for the readers of msgpack (the bus, suitcase's reader, the
// catalog's ingest), which decode with @msgpack/msgpack and pass the result through here.
// Integers: Python writes any int past 2^32 as a 64-bit msgpack integer; decoded with
// useBigInt64 they come as bigint, and those a number holds exactly become numbers again.
// Python publishers and suitcase-msgpack often pack numpy values with msgpack-numpy: an array is
// a map with bytes keys {nd: true, type: "<f8", kind: "", shape: [..], data: <raw bytes>}, a
// numpy scalar the same with nd: false. Readers of msgpack (the bus, suitcase's reader, the
// catalog's ingest) turn those maps into (nested) arrays of numbers, so the documents read like
// ours. Structured ('V') and object ('O', a pickle) arrays and unknown dtypes stay maps.
import { EventModelValueError } from "./errors.ts";
import { setOwn } from "./own-property.ts";

type Reader = (view: DataView, offset: number, little: boolean) => number | bigint | boolean;

const READERS: Record<string, { size: number; read: Reader }> = {
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  i8: { size: 8, read: (v, o, le) => exact(v.getBigInt64(o, le)) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  u8: { size: 8, read: (v, o, le) => exact(v.getBigUint64(o, le)) },
  b1: { size: 1, read: (v, o) => v.getUint8(o) !== 0 },
};

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A 64-bit integer as a number when that is exact, else as a bigint: never rounded. */
function exact(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/**
 * Turns, in place, the bigints of a value decoded with `useBigInt64` that a number holds exactly
 * into numbers. With the encoded `bytes`, a message without a 64-bit integer marker (0xcf,
 * 0xd3: the usual case) is not walked at all.
 */
export function safeIntegersAsNumbers(value: unknown, bytes?: Uint8Array): unknown {
  if (bytes !== undefined && !bytes.includes(0xcf) && !bytes.includes(0xd3)) return value;
  return walkIntegers(value, 0);
}

function walkIntegers(value: unknown, depth: number): unknown {
  if (typeof value === "bigint") return exact(value);
  if (typeof value !== "object" || value === null || depth > 512) return value;
  if (value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(record)) {
    const item = record[key as string];
    if (typeof item === "object" || typeof item === "bigint") {
      record[key as string] = walkIntegers(item, depth + 1);
    }
  }
  return value;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The `mapKeyConverter` for a msgpack decoder reading msgpack-numpy: bytes keys become strings.
 * Throws EventModelValueError for a key that is neither.
 */
export function msgpackMapKey(key: unknown): string | number {
  if (typeof key === "string" || typeof key === "number") return key;
  if (key instanceof Uint8Array) return utf8.decode(key);
  throw new EventModelValueError(`a msgpack map key of type ${typeof key}; expected a string`);
}

/**
 * `value` with every msgpack-numpy array or scalar map (of a numeric or bool dtype) replaced by
 * numbers: nested arrays in the array's shape; 64-bit integers beyond ±2^53 as bigint. Throws
 * EventModelValueError for an array whose bytes do not match its shape and dtype.
 */
export function reviveMsgpackNumpy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveMsgpackNumpy);
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  const revived = reviveArray(record);
  if (revived !== undefined) return revived;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) setOwn(out, key, reviveMsgpackNumpy(record[key]));
  return out;
}

function reviveArray(map: Record<string, unknown>): unknown {
  const { nd, type, data } = map;
  const kind = map["kind"];
  if (typeof nd !== "boolean" || typeof type !== "string" || !(data instanceof Uint8Array)) {
    return undefined;
  }
  if (kind instanceof Uint8Array && kind.length > 0) return undefined; // structured or object
  const match = /^([<>|=]?)([a-z])(\d+)$/.exec(type);
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
    throw new EventModelValueError(
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
