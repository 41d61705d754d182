// Document bodies on the wire: msgpack (default) or JSON as Python writes and reads it. Both keep
// numbers as numbers (NaN and ±Infinity included) and arrays as arrays; typed arrays and
// ndarray-likes become nested arrays (sanitizeDoc), so a Python consumer with plain msgpack or
// json gets lists of numbers, never opaque bytes.
import {
  encodeJson,
  msgpackMapKey,
  parseJson,
  reviveMsgpackNumpy,
  safeIntegersAsNumbers,
  sanitizeDoc,
} from "@cerulean/event-model";
import { Decoder, Encoder } from "@msgpack/msgpack";
import type { WireFormat } from "../document-bus.ts";
import { BusConfigError, BusDecodeError } from "../errors.ts";

const encoder = new Encoder({ ignoreUndefined: true });
const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

// msgpack-numpy (Python) writes its array maps with bytes keys; a decode that met one is walked
// afterwards to turn those maps into nested arrays. Decoding is synchronous, so a flag will do.
let sawBinaryKey = false;
// 64-bit integers come as bigint, so that Python's 2**62 is not rounded; those that fit a
// double exactly are turned back into numbers (Python writes any int past 2^32 this way).
const decoder = new Decoder({
  useBigInt64: true,
  mapKeyConverter: (key: unknown): string | number => {
    if (key instanceof Uint8Array) sawBinaryKey = true;
    return msgpackMapKey(key);
  },
});

/** True when `format` names a wire format; narrows unknown option values. */
export function isWireFormat(format: unknown): format is WireFormat {
  return format === "msgpack" || format === "json";
}

/** Throws BusConfigError unless `format` is "msgpack" or "json". */
export function assertWireFormat(format: unknown): asserts format is WireFormat {
  if (!isWireFormat(format)) {
    throw new BusConfigError(
      `unknown wire format ${JSON.stringify(format)}; expected "msgpack" or "json"`,
    );
  }
}

/** Encodes a document body (or any document-like value) as msgpack bytes. */
export function encodeMsgpack(value: unknown): Uint8Array {
  return encoder.encode(isMsgpackPlain(value, 0) ? value : sanitizeDoc(value));
}

/**
 * True when msgpack would write `value` as is: numbers (NaN too), strings, booleans, null, and
 * plain objects and arrays of those. Anything else (typed arrays, Map, BigInt, Date...) goes
 * through sanitizeDoc first; checking is far cheaper than copying a 1 MB image.
 */
function isMsgpackPlain(value: unknown, depth: number): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (depth > 256) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "number") continue;
      if (item === undefined || !isMsgpackPlain(item, depth + 1)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (item !== undefined && !isMsgpackPlain(item, depth + 1)) return false;
  }
  return true;
}

/** Encodes a value in `format`: msgpack bytes, or the UTF-8 bytes of Python-compatible JSON. */
export function encodeBody(value: unknown, format: WireFormat): Uint8Array {
  return format === "msgpack" ? encodeMsgpack(value) : utf8Encoder.encode(encodeJson(value));
}

/**
 * Decodes bytes written in `format` (by us or by Python's msgpack / msgpack-numpy / json).
 * Throws BusDecodeError naming the format and the problem.
 */
export function decodeBody(bytes: Uint8Array, format: WireFormat): unknown {
  try {
    if (format === "json") return parseJson(utf8.decode(bytes));
    sawBinaryKey = false;
    let value = decoder.decode(bytes);
    value = safeIntegersAsNumbers(value, bytes);
    return sawBinaryKey ? reviveMsgpackNumpy(value) : value;
  } catch (error) {
    if (error instanceof BusDecodeError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new BusDecodeError(
      `cannot decode ${bytes.length} bytes as ${format}: ${why} (first bytes ${preview(bytes)})`,
      { cause: error },
    );
  }
}

/** The first bytes of a message, in hex, for error messages. */
export function preview(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 16)).toString("hex");
  return bytes.length > 16 ? `${head}...` : head;
}
