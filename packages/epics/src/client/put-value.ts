// What a put sends: the value converted to a DBR type the server takes, checked for size.
import { CaMessageTooLargeError, CaValueError } from "../errors.ts";
import { type CaPutValue, toCaArray } from "../protocol/convert.ts";
import { encodeDbr } from "../protocol/dbr.ts";
import { DbrNative, type DbrNativeType, dbrCode, dbrName, dbrSize } from "../protocol/dbr-types.ts";

/** The PV a put goes to, as far as encoding cares. */
export interface PutTarget {
  pv: string;
  native: DbrNativeType;
  maxCount: number;
  maxArrayBytes: number;
}

/**
 * Encodes a put. Strings go as DBR_STRING (the server converts them, e.g. enum labels);
 * numbers are converted here, so that a value that does not fit fails with CaValueError
 * naming the PV before anything is sent.
 */
export function encodePut(
  value: CaPutValue,
  target: PutTarget,
): { dataType: number; count: number; data: Uint8Array } {
  const text = typeof value === "string" || (Array.isArray(value) && typeof value[0] === "string");
  const native = text ? DbrNative.string : target.native;
  const array = toCaArray(value, native, { what: `PV "${target.pv}"` });
  if (array.length > target.maxCount) {
    throw new CaValueError(
      `put of ${array.length} elements to PV "${target.pv}", which holds at most ${target.maxCount}`,
    );
  }
  const dataType = dbrCode(native, "plain");
  const bytes = dbrSize(dataType, array.length);
  if (bytes > target.maxArrayBytes) {
    throw new CaMessageTooLargeError(
      `put of PV "${target.pv}" (${array.length} elements of ${dbrName(dataType)})`,
      bytes,
      target.maxArrayBytes,
    );
  }
  return { dataType, count: array.length, data: encodeDbr(dataType, array) };
}
