// Plain-JSON copies of documents: what Python's sanitize_doc does with numpy values, done for the
// JavaScript values that JSON.stringify would throw on or silently mangle.
import { EventModelTypeError, EventModelValueError } from "./errors.ts";
import { setOwn } from "./own-property.ts";

/**
 * An n-dimensional array in the scijs/ndarray convention: flat `data` plus `shape`, with optional
 * `stride` and `offset` (C order when absent). Such objects become nested arrays.
 */
export interface NdarrayLike {
  data: ArrayLike<unknown>;
  shape: readonly number[];
  stride?: readonly number[];
  offset?: number;
}

/**
 * Returns a deep copy of `doc` made only of JSON values, so that `JSON.stringify` neither throws
 * nor loses data: typed arrays and ndarray-likes become (nested) arrays, BigInt becomes a number
 * (EventModelValueError beyond ±2^53-1), Map becomes an object, Set an array, objects with
 * `toJSON` (Date...) their JSON form, and undefined object members are dropped. Functions,
 * symbols, `undefined` inside arrays and cycles throw, naming the path. Non-finite numbers are
 * kept as numbers: JSON.stringify writes them as null, the JSON-lines writer as NaN/Infinity.
 */
export function sanitizeDoc<T>(doc: T): T {
  return sanitize(doc, "", new Set()) as T;
}

/** True for objects following the ndarray convention of NdarrayLike. */
export function isNdarrayLike(value: unknown): value is NdarrayLike {
  if (typeof value !== "object" || value === null) return false;
  const { data, shape } = value as Partial<NdarrayLike>;
  return (
    Array.isArray(shape) &&
    shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    (ArrayBuffer.isView(data) || Array.isArray(data))
  );
}

function sanitize(value: unknown, path: string, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return bigintToNumber(value, path);
    case "undefined":
      throw new EventModelTypeError(`${at(path)} is undefined, which JSON cannot hold`);
    case "function":
    case "symbol":
      throw new EventModelTypeError(`${at(path)} is a ${typeof value}, which JSON cannot hold`);
  }
  if (value === null) return null;
  const object = value as object;
  if (ArrayBuffer.isView(object)) return typedArrayToArray(object, path);
  if (object instanceof ArrayBuffer) return Array.from(new Uint8Array(object));
  if (ancestors.has(object)) {
    throw new EventModelValueError(`${at(path)} refers back to one of its parents (a cycle)`);
  }
  ancestors.add(object);
  try {
    return sanitizeObject(object, path, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function sanitizeObject(object: object, path: string, ancestors: Set<object>): unknown {
  if (Array.isArray(object)) {
    const out: unknown[] = new Array(object.length);
    for (let i = 0; i < object.length; i++) out[i] = sanitize(object[i], `${path}/${i}`, ancestors);
    return out;
  }
  if (object instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of object) {
      if (typeof key !== "string" && typeof key !== "number") {
        throw new EventModelTypeError(
          `${at(path)} is a Map with a ${typeof key} key; only string and number keys fit JSON`,
        );
      }
      if (item !== undefined) setOwn(out, String(key), sanitize(item, `${path}/${key}`, ancestors));
    }
    return out;
  }
  if (object instanceof Set) {
    return [...object].map((item, i) => sanitize(item, `${path}/${i}`, ancestors));
  }
  if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    return object.valueOf();
  }
  if (isNdarrayLike(object)) return ndarrayToNested(object, path, ancestors);
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    return sanitize(toJSON.call(object), `${path}`, ancestors);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const item = (object as Record<string, unknown>)[key];
    if (item !== undefined) setOwn(out, key, sanitize(item, `${path}/${key}`, ancestors));
  }
  return out;
}

function bigintToNumber(value: bigint, path: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) {
    throw new EventModelValueError(
      `${at(path)} is the BigInt ${value}, beyond the ±2^53-1 that a JSON number holds exactly`,
    );
  }
  return number;
}

function typedArrayToArray(view: ArrayBufferView, path: string): unknown[] {
  if (view instanceof DataView)
    return Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  if (view instanceof BigInt64Array || view instanceof BigUint64Array) {
    return Array.from(view, (b, i) => bigintToNumber(b, `${path}/${i}`));
  }
  return Array.from(view as unknown as ArrayLike<number>);
}

function ndarrayToNested(nd: NdarrayLike, path: string, ancestors: Set<object>): unknown {
  const { shape, data } = nd;
  const stride = nd.stride ?? cOrderStrides(shape);
  const offset = nd.offset ?? 0;
  if (stride.length !== shape.length) {
    throw new EventModelValueError(
      `${at(path)} is an ndarray with shape ${JSON.stringify(shape)} but stride ${JSON.stringify(stride)}`,
    );
  }
  const item = (index: number): unknown => {
    if (index < 0 || index >= data.length) {
      throw new EventModelValueError(
        `${at(path)}: ndarray of shape ${JSON.stringify(shape)} reads element ${index} of a ${data.length}-element buffer`,
      );
    }
    return sanitize(data[index], path, ancestors);
  };
  const build = (dim: number, base: number): unknown => {
    if (dim === shape.length) return item(base);
    const length = shape[dim]!;
    const out: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) out[i] = build(dim + 1, base + i * stride[dim]!);
    return out;
  };
  return build(0, offset);
}

function cOrderStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d]!;
  }
  return strides;
}

function at(path: string): string {
  return path === "" ? "the document" : `the value at ${path}`;
}
