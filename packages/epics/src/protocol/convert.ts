// Conversions between native DBR types and from JavaScript values, as an IOC does them.
import { CaValueError } from "../errors.ts";
import { type CaArray, emptyArray } from "./dbr.ts";
import {
  DbrNative,
  type DbrNativeType,
  INTEGER_RANGE,
  MAX_STRING_SIZE,
  nativeName,
} from "./dbr-types.ts";

/** What a JavaScript caller may write to a PV. */
export type CaPutValue =
  | number
  | string
  | boolean
  | bigint
  | readonly (number | string)[]
  | ArrayLike<number>;

/** Context a conversion may need: enum labels, float precision, a name for messages. */
export interface ConvertContext {
  enumStrings?: readonly string[];
  precision?: number;
  /** Named in error messages ("PV SIM:mode"). */
  what?: string;
}

const encoder = new TextEncoder();

function label(ctx: ConvertContext): string {
  return ctx.what ? ` for ${ctx.what}` : "";
}

function parseNumber(text: string, native: DbrNativeType, ctx: ConvertContext): number {
  if (native === DbrNative.enum && ctx.enumStrings) {
    const index = ctx.enumStrings.indexOf(text);
    if (index >= 0) return index;
  }
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  const n = Number(trimmed);
  if (Number.isNaN(n)) {
    const choices = native === DbrNative.enum && ctx.enumStrings;
    throw new CaValueError(
      `cannot convert "${text}" to ${nativeName(native)}${label(ctx)}: expected ` +
        (choices ? `one of ${JSON.stringify(choices)} or an index` : "a number"),
    );
  }
  return n;
}

function formatNumber(v: number, from: DbrNativeType, ctx: ConvertContext): string {
  if (from === DbrNative.enum) return ctx.enumStrings?.[v] ?? String(v);
  if ((from === DbrNative.float || from === DbrNative.double) && ctx.precision !== undefined) {
    if (Number.isFinite(v) && ctx.precision >= 0) return v.toFixed(Math.min(ctx.precision, 17));
  }
  return String(v);
}

function fill(native: DbrNativeType, items: readonly (number | string)[], ctx: ConvertContext) {
  const out = emptyArray(native, items.length);
  if (native === DbrNative.string) {
    const strings = out as string[];
    items.forEach((item, i) => {
      const text = typeof item === "string" ? item : formatNumber(item, DbrNative.double, ctx);
      const bytes = encoder.encode(text).length;
      if (bytes >= MAX_STRING_SIZE) {
        throw new CaValueError(
          `string of ${bytes} bytes is too long${label(ctx)}: DBR_STRING holds at most ${MAX_STRING_SIZE - 1}`,
        );
      }
      strings[i] = text;
    });
    return out;
  }
  const numbers = out as Exclude<CaArray, string[]>;
  const range = INTEGER_RANGE[native];
  items.forEach((item, i) => {
    const n = typeof item === "string" ? parseNumber(item, native, ctx) : item;
    if (range) {
      if (!Number.isFinite(n) || n < range[0] || n > range[1]) {
        throw new CaValueError(
          `${n} is out of range${label(ctx)}: ${nativeName(native)} holds ${range[0]}..${range[1]}`,
        );
      }
      numbers[i] = Math.trunc(n);
    } else numbers[i] = n;
  });
  return out;
}

/**
 * Turns a JavaScript value into the elements of `native`. Strict: a string that is not a
 * number (or enum label) or an integer out of range throws CaValueError naming it.
 */
export function toCaArray(value: CaPutValue, native: DbrNativeType, ctx: ConvertContext = {}) {
  let items: (number | string)[];
  if (typeof value === "string") items = [value];
  else if (typeof value === "number") items = [value];
  else if (typeof value === "boolean") items = [value ? 1 : 0];
  else if (typeof value === "bigint") items = [Number(value)];
  else items = Array.from(value as ArrayLike<number | string>);
  return fill(native, items, ctx);
}

function clampTo(native: DbrNativeType, n: number): number {
  const range = INTEGER_RANGE[native];
  if (!range) return n;
  if (Number.isNaN(n)) return 0;
  return Math.trunc(Math.min(range[1], Math.max(range[0], n)));
}

/**
 * Converts elements of native type `from` to `to`, as a server does for a request of another
 * type: numbers are clamped to integer ranges, enums become their labels as strings.
 * Throws CaValueError for a string that is not a number.
 */
export function convertArray(
  value: CaArray,
  from: DbrNativeType,
  to: DbrNativeType,
  ctx: ConvertContext = {},
): CaArray {
  if (from === to) return value;
  const out = emptyArray(to, value.length);
  if (to === DbrNative.string) {
    const strings = out as string[];
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      strings[i] = typeof v === "string" ? v : formatNumber(v ?? 0, from, ctx);
    }
    return out;
  }
  const numbers = out as Exclude<CaArray, string[]>;
  for (let i = 0; i < value.length; i++) {
    const v = value[i] ?? 0;
    numbers[i] = clampTo(to, typeof v === "string" ? parseNumber(v, to, ctx) : v);
  }
  return out;
}
