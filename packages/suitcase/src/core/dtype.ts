import { DataShapeError } from "../errors.ts";

/** The numeric element types the binary formats write. */
export type NumericDtype =
  | "uint8"
  | "int8"
  | "uint16"
  | "int16"
  | "uint32"
  | "int32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64";

/** A typed array of one of the NumericDtypes. */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

interface DtypeInfo {
  kind: "u" | "i" | "f";
  bytes: number;
  min: number;
  max: number;
}

const INFO: Record<NumericDtype, DtypeInfo> = {
  uint8: { kind: "u", bytes: 1, min: 0, max: 255 },
  int8: { kind: "i", bytes: 1, min: -128, max: 127 },
  uint16: { kind: "u", bytes: 2, min: 0, max: 65535 },
  int16: { kind: "i", bytes: 2, min: -32768, max: 32767 },
  uint32: { kind: "u", bytes: 4, min: 0, max: 4294967295 },
  int32: { kind: "i", bytes: 4, min: -2147483648, max: 2147483647 },
  int64: { kind: "i", bytes: 8, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  uint64: { kind: "u", bytes: 8, min: 0, max: Number.MAX_SAFE_INTEGER },
  float32: { kind: "f", bytes: 4, min: -Infinity, max: Infinity },
  float64: { kind: "f", bytes: 8, min: -Infinity, max: Infinity },
};

/** Size and kind of a dtype ("u" unsigned, "i" signed integer, "f" float). */
export function dtypeInfo(dtype: NumericDtype): Readonly<DtypeInfo> {
  return INFO[dtype];
}

/** The NumericDtype of a numpy dtype string ("<u2", "|u1", "<f4"...), or undefined. */
export function dtypeFromNumpy(numpy: unknown): NumericDtype | undefined {
  if (typeof numpy !== "string") return undefined;
  const match = /([iuf])(\d+)/.exec(numpy);
  if (!match) return undefined;
  const name = `${match[1] === "u" ? "uint" : match[1] === "i" ? "int" : "float"}${Number(match[2]) * 8}`;
  return name in INFO ? (name as NumericDtype) : undefined;
}

/** The dtype of a typed array, or undefined for plain arrays. */
export function dtypeOfArray(
  data: ArrayLike<number> | ArrayLike<bigint>,
): NumericDtype | undefined {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return "uint8";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof BigUint64Array) return "uint64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  return undefined;
}

/**
 * The narrowest of uint16, int32 and `floatDtype` that holds every value of `data` exactly
 * (integers first), for data whose descriptor names no dtype.
 */
export function inferDtype(data: ArrayLike<number>, floatDtype: NumericDtype): NumericDtype {
  const own = dtypeOfArray(data);
  if (own !== undefined) return own;
  let integers = true;
  let min = 0;
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isInteger(v)) {
      integers = false;
      break;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!integers) return floatDtype;
  if (min >= 0 && max <= 65535) return "uint16";
  if (min >= INFO.int32.min && max <= INFO.int32.max) return "int32";
  return floatDtype === "float32" ? "float32" : "int64";
}

/** A new typed array of `dtype` and `length`. */
export function allocate(dtype: NumericDtype, length: number): NumericArray {
  switch (dtype) {
    case "uint8":
      return new Uint8Array(length);
    case "int8":
      return new Int8Array(length);
    case "uint16":
      return new Uint16Array(length);
    case "int16":
      return new Int16Array(length);
    case "uint32":
      return new Uint32Array(length);
    case "int32":
      return new Int32Array(length);
    case "int64":
      return new BigInt64Array(length);
    case "uint64":
      return new BigUint64Array(length);
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
  }
}

/**
 * Copies `data` into `target` (a typed array of `dtype`) at `offset`, refusing values the dtype
 * cannot hold exactly: a fraction or NaN into an integer type, a value out of range, a finite
 * value that overflows float32. DataShapeError names `where` and the first bad value.
 */
export function castInto(
  target: NumericArray,
  offset: number,
  data: ArrayLike<number>,
  dtype: NumericDtype,
  where: string,
): void {
  if (dtypeOfArray(data) === dtype) {
    (target as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(data, offset);
    return;
  }
  const { kind, min, max } = INFO[dtype];
  const big = dtype === "int64" || dtype === "uint64";
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (kind !== "f" && (!Number.isInteger(v) || v < min || v > max)) {
      throw new DataShapeError(
        `${where}: element ${i} is ${v}, which ${dtype} cannot hold exactly (integers ${min}..${max}); choose another dtype`,
      );
    }
    if (big) (target as BigInt64Array)[offset + i] = BigInt(v) as unknown as bigint;
    else (target as Float64Array)[offset + i] = v;
  }
  if (dtype === "float32") {
    const view = target as Float32Array;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(view[offset + i] as number) && Number.isFinite(data[i] as number)) {
        throw new DataShapeError(`${where}: element ${i} is ${data[i]}, beyond the float32 range`);
      }
    }
  }
}

/**
 * Checks that one value fits `dtype` exactly and returns it as a number: booleans become 0/1,
 * null (JSON's NaN) becomes NaN for float types. DataShapeError names `where` otherwise.
 */
export function checkScalar(value: unknown, dtype: NumericDtype, where: string): number {
  const { kind, min, max } = INFO[dtype];
  let number: number;
  if (typeof value === "number") number = value;
  else if (typeof value === "boolean") number = value ? 1 : 0;
  else if (value === null && kind === "f") number = Number.NaN;
  else
    throw new DataShapeError(
      `${where}: ${JSON.stringify(value) ?? String(value)} is not a number for a ${dtype} dataset`,
    );
  if (kind !== "f" && (!Number.isInteger(number) || number < min || number > max)) {
    throw new DataShapeError(
      `${where}: ${number}, which ${dtype} cannot hold exactly (integers ${min}..${max}); choose another dtype`,
    );
  }
  if (dtype === "float32" && Number.isFinite(number) && !Number.isFinite(Math.fround(number))) {
    throw new DataShapeError(`${where}: ${number} is beyond the float32 range`);
  }
  return number;
}

/** `data` as a typed array of `dtype` (a copy unless it already is one). */
export function castArray(
  data: ArrayLike<number>,
  dtype: NumericDtype,
  where: string,
): NumericArray {
  if (dtypeOfArray(data) === dtype) return data as unknown as NumericArray;
  const out = allocate(dtype, data.length);
  castInto(out, 0, data, dtype, where);
  return out;
}
