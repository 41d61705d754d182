import { DataShapeError } from "../errors.ts";

/** A flat, C-ordered numeric array and its shape. */
export interface NdArray {
  data: ArrayLike<number>;
  shape: number[];
}

interface NdarrayLikeValue {
  data: ArrayLike<unknown>;
  shape: readonly number[];
  stride?: readonly number[];
  offset?: number;
}

/**
 * Reads a numeric data value as an NdArray: nested arrays (as JSON gives them), a typed array
 * (shaped by `declared` when its size matches) or an ndarray-like `{data, shape, stride?}`.
 * Numbers stay as given; null (JSON's NaN) becomes NaN. Ragged or non-numeric values throw
 * DataShapeError naming `where`.
 */
export function toNdArray(
  value: unknown,
  declared: readonly (number | null)[] | undefined,
  where: string,
): NdArray {
  if (typeof value === "number") return { data: [value], shape: [] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const data = numericView(value, where);
    const fixed = declared?.every((d) => typeof d === "number") ? (declared as number[]) : null;
    const shape = fixed && product(fixed) === data.length ? [...fixed] : [data.length];
    return { data, shape };
  }
  if (Array.isArray(value)) return fromNested(value, where);
  if (isNdarrayLike(value)) return fromNdarrayLike(value, where);
  throw new DataShapeError(
    `${where}: expected a number or an array of numbers, got ${describe(value)}`,
  );
}

/** The number of elements of a shape. */
export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function numericView(view: ArrayBufferView, where: string): ArrayLike<number> {
  if (view instanceof BigInt64Array || view instanceof BigUint64Array) {
    return Float64Array.from(view, (b) => {
      const n = Number(b);
      if (!Number.isSafeInteger(n))
        throw new DataShapeError(`${where}: the BigInt ${b} is beyond ±2^53-1`);
      return n;
    });
  }
  return view as unknown as ArrayLike<number>;
}

function fromNested(value: unknown[], where: string): NdArray {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  // A plain array: a typed one would claim a dtype (float64) the JSON values never had.
  const data: number[] = new Array<number>(product(shape));
  let at = 0;
  const walk = (node: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof node === "number") data[at++] = node;
      else if (node === null) data[at++] = Number.NaN;
      else if (typeof node === "boolean") data[at++] = node ? 1 : 0;
      else throw new DataShapeError(`${where}: element ${path} is ${describe(node)}, not a number`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new DataShapeError(
        `${where}: ragged array; element ${path || "[]"} has ${Array.isArray(node) ? `length ${node.length}` : describe(node)} where shape ${JSON.stringify(shape)} expects length ${shape[dim]}`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i], dim + 1, `${path}[${i}]`);
  };
  walk(value, 0, "");
  return { data, shape };
}

function isNdarrayLike(value: unknown): value is NdarrayLikeValue {
  if (typeof value !== "object" || value === null) return false;
  const { data, shape } = value as Partial<NdarrayLikeValue>;
  return (
    Array.isArray(shape) &&
    shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    (ArrayBuffer.isView(data) || Array.isArray(data))
  );
}

function fromNdarrayLike(value: NdarrayLikeValue, where: string): NdArray {
  const shape = [...value.shape];
  const n = product(shape);
  const source = value.data;
  if (value.stride === undefined && (value.offset ?? 0) === 0 && source.length === n) {
    if (ArrayBuffer.isView(source))
      return { data: numericView(source as ArrayBufferView, where), shape };
    return { data: fromNested(source as unknown[], where).data, shape };
  }
  const stride = value.stride ?? cOrderStrides(shape);
  const out: number[] = new Array<number>(n);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let at = value.offset ?? 0;
    for (let d = 0; d < shape.length; d++) at += (index[d] ?? 0) * (stride[d] ?? 0);
    const item = source[at];
    if (typeof item !== "number") {
      throw new DataShapeError(
        `${where}: ndarray element ${at} is ${describe(item)}, not a number`,
      );
    }
    out[k] = item;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] ?? 0) + 1;
      if ((index[d] ?? 0) < (shape[d] ?? 0)) break;
      index[d] = 0;
    }
  }
  return { data: out, shape };
}

function cOrderStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d] ?? 0;
  }
  return strides;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
