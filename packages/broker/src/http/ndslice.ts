// numpy slice syntax (`slice=0:10,::2,5`) over nested arrays, and flattening to C-order bytes.
import { HttpRequestError } from "../errors.ts";
import type { DataType } from "./structure.ts";

/** One dimension of a slice: an index (drops the dimension) or start:stop:step. */
export type DimSlice =
  | { index: number }
  | { start: number | null; stop: number | null; step: number | null };

const PART = /^(-?\d+)?(?::(-?\d+)?(?::(-?\d+)?)?)?$/;

/** Parses `0:10,::2,5`; an empty string is no slicing. */
export function parseSlice(text: string | undefined): DimSlice[] {
  if (!text) return [];
  return text.split(",").map((part) => {
    const match = PART.exec(part.trim());
    if (!match)
      throw new HttpRequestError(
        422,
        `slice ${JSON.stringify(text)}: ${JSON.stringify(part)} is not an index or start:stop:step`,
      );
    const [, a, b, c] = match;
    if (!part.includes(":")) return { index: Number(a) };
    const num = (s: string | undefined) => (s === undefined ? null : Number(s));
    const step = num(c);
    if (step === 0)
      throw new HttpRequestError(422, `slice ${JSON.stringify(text)}: step cannot be zero`);
    return { start: num(a), stop: num(b), step };
  });
}

/** The positions a dimension slice selects from `length`, and whether the dimension remains. */
export function selectDim(
  slice: DimSlice | undefined,
  length: number,
): { positions: number[]; keep: boolean } {
  if (!slice) return { positions: Array.from({ length }, (_, i) => i), keep: true };
  if ("index" in slice) {
    const i = slice.index < 0 ? length + slice.index : slice.index;
    if (i < 0 || i >= length)
      throw new HttpRequestError(
        422,
        `index ${slice.index} is out of bounds for a dimension of length ${length}`,
      );
    return { positions: [i], keep: false };
  }
  const step = slice.step ?? 1;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number | null, fallback: number) =>
    v === null ? fallback : v < 0 ? v + length : v;
  const positions: number[] = [];
  if (step > 0) {
    const start = clamp(norm(slice.start, 0), 0, length);
    const stop = clamp(norm(slice.stop, length), 0, length);
    for (let i = start; i < stop; i += step) positions.push(i);
  } else {
    const start = clamp(norm(slice.start, length - 1), -1, length - 1);
    const stop = clamp(norm(slice.stop, -1 - length), -1, length - 1);
    for (let i = start; i > stop; i += step) positions.push(i);
  }
  return { positions, keep: true };
}

/** Applies slices to dimensions 1.. of a nested array (dimension 0 is handled by the caller). */
export function sliceNested(value: unknown, slices: readonly DimSlice[]): unknown {
  if (slices.length === 0 || !Array.isArray(value)) return value;
  const [first, ...rest] = slices;
  const { positions, keep } = selectDim(first, value.length);
  const picked = positions.map((i) => sliceNested(value[i], rest));
  return keep ? picked : picked[0];
}

/** Flattens a nested array in C order. */
export function flatten(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else out.push(value);
  return out;
}

/** C-order little-endian bytes of `values` in `type`; non-numbers become NaN (or 0 for integers). */
export function toBytes(values: readonly unknown[], type: DataType): Uint8Array {
  const n = values.length;
  const num = (v: unknown) =>
    typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number.NaN;
  const int = (v: unknown) => {
    const x = num(v);
    return Number.isFinite(x) ? Math.trunc(x) : 0;
  };
  if (type.kind === "U") return unicodeBytes(values, type.itemsize / 4);
  const key = `${type.kind}${type.itemsize}`;
  let array: ArrayBufferView;
  switch (key) {
    case "f4":
      array = Float32Array.from({ length: n }, (_, i) => num(values[i]));
      break;
    case "i1":
      array = Int8Array.from({ length: n }, (_, i) => int(values[i]));
      break;
    case "i2":
      array = Int16Array.from({ length: n }, (_, i) => int(values[i]));
      break;
    case "i4":
      array = Int32Array.from({ length: n }, (_, i) => int(values[i]));
      break;
    case "i8":
      array = BigInt64Array.from({ length: n }, (_, i) => BigInt(int(values[i])));
      break;
    case "u1":
    case "b1":
      array = Uint8Array.from({ length: n }, (_, i) => int(values[i]));
      break;
    case "u2":
      array = Uint16Array.from({ length: n }, (_, i) => int(values[i]));
      break;
    case "u4":
      array = Uint32Array.from({ length: n }, (_, i) => int(values[i]));
      break;
    case "u8":
      array = BigUint64Array.from({ length: n }, (_, i) => BigInt(Math.max(0, int(values[i]))));
      break;
    default:
      array = Float64Array.from({ length: n }, (_, i) => num(values[i]));
  }
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** numpy's `<U<width>`: each value as `width` UTF-32 little-endian code points, zero-padded. */
function unicodeBytes(values: readonly unknown[], width: number): Uint8Array {
  const out = new Uint32Array(values.length * width);
  values.forEach((v, i) => {
    let at = i * width;
    for (const ch of String(v ?? "")) {
      if (at >= (i + 1) * width) break;
      out[at++] = ch.codePointAt(0)!;
    }
  });
  return new Uint8Array(out.buffer);
}
