// DBR payloads <-> values with their alarm, time and display metadata (sans-IO).
import { CaProtocolError, CaValueError } from "../errors.ts";
import {
  type DbrField,
  DbrNative,
  type DbrNativeType,
  dbrName,
  dbrSize,
  ELEMENT_SIZE,
  EPICS_EPOCH_OFFSET,
  fieldSize,
  INTEGER_RANGE,
  isValidDbrCode,
  layoutOf,
  MAX_ENUM_STATES,
  MAX_ENUM_STRING_SIZE,
  MAX_STRING_SIZE,
  MAX_UNITS_SIZE,
  nativeOf,
} from "./dbr-types.ts";

/** The elements of a CA value, typed after the native DBR type. */
export type CaArray =
  | string[]
  | Int16Array
  | Float32Array
  | Uint16Array
  | Uint8Array
  | Int32Array
  | Float64Array;

export interface CaLimitRange {
  low: number;
  high: number;
}

/** Display, alarm, warning and control limits (the shape of an event-model DataKey's limits). */
export interface CaLimits {
  display?: CaLimitRange;
  alarm?: CaLimitRange;
  warning?: CaLimitRange;
  control?: CaLimitRange;
}

/** What a DBR structure carries besides the value; which members are set depends on the family. */
export interface DbrMetadata {
  /** Alarm status (epicsAlarmCondition: 0 none, 7 HIHI...). */
  status?: number;
  /** Alarm severity: 0 none, 1 minor, 2 major, 3 invalid. */
  severity?: number;
  /** Seconds since the Unix epoch. */
  timestamp?: number;
  units?: string;
  precision?: number;
  limits?: CaLimits;
  enumStrings?: string[];
}

/** A decoded DBR payload. */
export interface DbrValue extends DbrMetadata {
  dataType: number;
  value: CaArray;
}

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** A zero-filled array of `count` elements of `native`. */
export function emptyArray(native: DbrNativeType, count: number): CaArray {
  switch (native) {
    case DbrNative.string:
      return Array.from({ length: count }, () => "");
    case DbrNative.short:
      return new Int16Array(count);
    case DbrNative.float:
      return new Float32Array(count);
    case DbrNative.enum:
      return new Uint16Array(count);
    case DbrNative.char:
      return new Uint8Array(count);
    case DbrNative.long:
      return new Int32Array(count);
    case DbrNative.double:
      return new Float64Array(count);
  }
}

function readString(bytes: Uint8Array, offset: number, size: number): string {
  const field = bytes.subarray(offset, offset + size);
  const nul = field.indexOf(0);
  return utf8.decode(nul >= 0 ? field.subarray(0, nul) : field);
}

function writeString(bytes: Uint8Array, offset: number, size: number, text: string): void {
  const encoded = encoder.encode(text);
  if (encoded.length >= size) {
    throw new CaValueError(
      `string "${text.length > 60 ? `${text.slice(0, 60)}...` : text}" is ${encoded.length} bytes; ` +
        `at most ${size - 1} fit in this field`,
    );
  }
  bytes.set(encoded, offset);
}

function readElement(view: DataView, native: DbrNativeType, offset: number): number {
  switch (native) {
    case DbrNative.short:
      return view.getInt16(offset);
    case DbrNative.float:
      return view.getFloat32(offset);
    case DbrNative.enum:
      return view.getUint16(offset);
    case DbrNative.char:
      return view.getUint8(offset);
    case DbrNative.long:
      return view.getInt32(offset);
    default:
      return view.getFloat64(offset);
  }
}

function writeElement(view: DataView, native: DbrNativeType, offset: number, v: number) {
  switch (native) {
    case DbrNative.short:
      return view.setInt16(offset, v);
    case DbrNative.float:
      return view.setFloat32(offset, v);
    case DbrNative.enum:
      return view.setUint16(offset, v);
    case DbrNative.char:
      return view.setUint8(offset, v);
    case DbrNative.long:
      return view.setInt32(offset, v);
    default:
      return view.setFloat64(offset, v);
  }
}

/** Limits are clamped into an integer type's range rather than wrapped around. */
function clampToNative(native: DbrNativeType, v: number): number {
  const range = INTEGER_RANGE[native];
  if (!range) return v;
  return Number.isNaN(v) ? 0 : Math.min(range[1], Math.max(range[0], v));
}

const LIMIT_ORDER = [
  ["display", "high"],
  ["display", "low"],
  ["alarm", "high"],
  ["warning", "high"],
  ["warning", "low"],
  ["alarm", "low"],
  ["control", "high"],
  ["control", "low"],
] as const;

function decodeField(
  field: DbrField,
  native: DbrNativeType,
  view: DataView,
  at: number,
  out: DbrMetadata,
): void {
  switch (field.kind) {
    case "alarm":
      out.status = view.getInt16(at);
      out.severity = view.getInt16(at + 2);
      break;
    case "stamp":
      out.timestamp = view.getUint32(at) + EPICS_EPOCH_OFFSET + view.getUint32(at + 4) / 1e9;
      break;
    case "units":
      out.units = readString(
        new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
        at,
        MAX_UNITS_SIZE,
      );
      break;
    case "precision":
      out.precision = view.getInt16(at);
      break;
    case "limits": {
      const limits: CaLimits = {};
      for (let i = 0; i < field.count; i++) {
        const [which, end] = LIMIT_ORDER[i] ?? ["display", "high"];
        const range = limits[which] ?? { low: 0, high: 0 };
        range[end] = readElement(view, native, at + i * ELEMENT_SIZE[native]);
        limits[which] = range;
      }
      out.limits = limits;
      break;
    }
    case "enumStrings": {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      const n = Math.min(Math.max(view.getInt16(at), 0), MAX_ENUM_STATES);
      out.enumStrings = Array.from({ length: n }, (_, i) =>
        readString(bytes, at + 2 + i * MAX_ENUM_STRING_SIZE, MAX_ENUM_STRING_SIZE),
      );
      break;
    }
    case "pad":
      break;
  }
}

/**
 * Decodes a DBR payload of `count` elements. A DBR_STRING payload may be cut short (servers
 * send only the used bytes); any other short payload is a protocol error.
 */
export function decodeDbr(dataType: number, count: number, payload: Uint8Array): DbrValue {
  if (!isValidDbrCode(dataType)) throw new CaProtocolError(`unknown DBR type ${dataType}`);
  const native = nativeOf(dataType);
  let bytes = payload;
  const needed = dbrSize(dataType, count);
  if (bytes.length < needed) {
    if (native !== DbrNative.string) {
      throw new CaProtocolError(
        `${dbrName(dataType)} payload of ${bytes.length} bytes is shorter than the ${needed} ` +
          `bytes ${count} element(s) need`,
      );
    }
    const full = new Uint8Array(needed);
    full.set(bytes);
    bytes = full;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result: DbrValue = { dataType, value: emptyArray(native, count) };
  let at = 0;
  for (const field of layoutOf(dataType)) {
    decodeField(field, native, view, at, result);
    at += fieldSize(field, native);
  }
  const size = ELEMENT_SIZE[native];
  if (native === DbrNative.string) {
    const strings = result.value as string[];
    for (let i = 0; i < count; i++) strings[i] = readString(bytes, at + i * size, MAX_STRING_SIZE);
  } else {
    const numbers = result.value as Exclude<CaArray, string[]>;
    for (let i = 0; i < count; i++) numbers[i] = readElement(view, native, at + i * size);
  }
  return result;
}

function encodeField(
  field: DbrField,
  native: DbrNativeType,
  meta: DbrMetadata,
  out: { view: DataView; bytes: Uint8Array; at: number },
): void {
  const { view, bytes, at } = out;
  switch (field.kind) {
    case "alarm":
      view.setInt16(at, meta.status ?? 0);
      view.setInt16(at + 2, meta.severity ?? 0);
      return;
    case "stamp": {
      const t = meta.timestamp ?? 0;
      const whole = Math.floor(t);
      const seconds = Math.max(0, whole - EPICS_EPOCH_OFFSET);
      const nanos = seconds === 0 ? 0 : Math.min(999_999_999, Math.round((t - whole) * 1e9));
      view.setUint32(at, seconds);
      view.setUint32(at + 4, nanos);
      return;
    }
    case "units":
      writeString(bytes, at, MAX_UNITS_SIZE, truncateUtf8(meta.units ?? "", MAX_UNITS_SIZE - 1));
      return;
    case "precision":
      view.setInt16(at, meta.precision ?? 0);
      return;
    case "limits":
      for (let i = 0; i < field.count; i++) {
        const [which, end] = LIMIT_ORDER[i] ?? ["display", "high"];
        const limit = clampToNative(native, meta.limits?.[which]?.[end] ?? 0);
        writeElement(view, native, at + i * ELEMENT_SIZE[native], limit);
      }
      return;
    case "enumStrings": {
      const strings = (meta.enumStrings ?? []).slice(0, MAX_ENUM_STATES);
      view.setInt16(at, strings.length);
      strings.forEach((s, i) => {
        const offset = at + 2 + i * MAX_ENUM_STRING_SIZE;
        writeString(bytes, offset, MAX_ENUM_STRING_SIZE, truncateUtf8(s, MAX_ENUM_STRING_SIZE - 1));
      });
      return;
    }
    case "pad":
      return;
  }
}

/** Cuts `text` to at most `max` UTF-8 bytes (metadata is shortened, never refused). */
function truncateUtf8(text: string, max: number): string {
  let out = text;
  while (encoder.encode(out).length > max) out = out.slice(0, -1);
  return out;
}

/**
 * Encodes `value` (already of the native type of `dataType`) with `meta` into an unpadded
 * DBR payload. Throws CaValueError for a string that does not fit its 40-byte field.
 */
export function encodeDbr(dataType: number, value: CaArray, meta: DbrMetadata = {}): Uint8Array {
  if (!isValidDbrCode(dataType)) throw new CaValueError(`unknown DBR type ${dataType}`);
  const native = nativeOf(dataType);
  const count = value.length;
  const bytes = new Uint8Array(dbrSize(dataType, count));
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const field of layoutOf(dataType)) {
    encodeField(field, native, meta, { view, bytes, at });
    at += fieldSize(field, native);
  }
  const size = ELEMENT_SIZE[native];
  if (native === DbrNative.string) {
    for (let i = 0; i < count; i++) {
      const s = value[i];
      if (typeof s !== "string") throw new CaValueError(`${dbrName(dataType)} needs strings`);
      writeString(bytes, at + i * size, MAX_STRING_SIZE, s);
    }
  } else {
    for (let i = 0; i < count; i++) {
      const v = value[i];
      if (typeof v !== "number") throw new CaValueError(`${dbrName(dataType)} needs numbers`);
      writeElement(view, native, at + i * size, v);
    }
  }
  return bytes;
}
