import type { DataKey, Dtype, Limits } from "@cerulean/event-model";

/** What a signal knows about its values besides the values (units, precision...). */
export interface SignalMetadata {
  units?: string;
  precision?: number;
  /** Allowed values of an enum signal. */
  choices?: string[];
  limits?: Limits;
  /** Forces the dtype ("integer" for counters: JavaScript numbers do not tell ints apart). */
  dtype?: Dtype;
  /** Forces the numpy dtype ("<u2" for 16-bit frames...). */
  dtypeNumpy?: string;
  /** Forces the shape (for arrays whose length varies, use null entries). */
  shape?: Array<number | null>;
}

function shapeOf(value: unknown): number[] {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return [(value as unknown as ArrayLike<number>).length];
  }
  if (Array.isArray(value)) {
    const inner = value.length > 0 ? shapeOf(value[0]) : [];
    return [value.length, ...inner];
  }
  return [];
}

function leafOf(value: unknown): unknown {
  let leaf = value;
  while (Array.isArray(leaf)) leaf = leaf[0];
  return leaf;
}

const TYPED_ARRAY_DTYPES: Array<[new (n: number) => unknown, string]> = [
  [Float64Array, "<f8"],
  [Float32Array, "<f4"],
  [Int8Array, "|i1"],
  [Uint8Array, "|u1"],
  [Int16Array, "<i2"],
  [Uint16Array, "<u2"],
  [Int32Array, "<i4"],
  [Uint32Array, "<u4"],
  [BigInt64Array, "<i8"],
  [BigUint64Array, "<u8"],
];

function numpyDtypeOf(value: unknown, dtype: Dtype): string {
  for (const [ctor, numpy] of TYPED_ARRAY_DTYPES) if (value instanceof ctor) return numpy;
  const leaf = leafOf(value);
  if (typeof leaf === "boolean") return "|b1";
  if (typeof leaf === "string") return "|S40";
  if (dtype === "integer" || typeof leaf === "bigint") return "<i8";
  return "<f8";
}

function dtypeOf(value: unknown): Dtype {
  if (shapeOf(value).length > 0) return "array";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (typeof value === "bigint") return "integer";
  return "number";
}

/** The event-model DataKey of a signal holding `value`, read from `source`. */
export function dataKeyFor(value: unknown, source: string, metadata: SignalMetadata = {}): DataKey {
  const dtype = metadata.dtype ?? dtypeOf(value);
  const key: DataKey = {
    dtype,
    shape: metadata.shape ?? shapeOf(value),
    source,
    dtype_numpy: metadata.dtypeNumpy ?? numpyDtypeOf(value, dtype),
  };
  if (metadata.units !== undefined) key.units = metadata.units;
  if (metadata.precision !== undefined) key.precision = metadata.precision;
  if (metadata.choices !== undefined) key.choices = [...metadata.choices];
  if (metadata.limits !== undefined) key.limits = metadata.limits;
  return key;
}
