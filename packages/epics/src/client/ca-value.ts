// What get and monitors return: the value (a scalar for one-element PVs) and its metadata.
import type { CaArray, DbrMetadata, DbrValue } from "../protocol/dbr.ts";

/** A single element: a number, or a string for DBR_STRING. */
export type CaScalar = number | string;

/** A value read from a PV with whatever metadata its DBR family carries. */
export interface CaValue extends DbrMetadata {
  /** A scalar when the PV holds one element, else the array (typed after the DBR type). */
  value: CaScalar | CaArray;
  /** The DBR type the server sent (DBR_TIME_DOUBLE = 20...). */
  dataType: number;
  /** Elements sent. */
  count: number;
}

/** Turns a decoded DBR into a CaValue; `scalar` when the PV's native count is 1. */
export function toCaValue(dbr: DbrValue, scalar: boolean): CaValue {
  const { value, ...meta } = dbr;
  const first = value[0];
  return {
    ...meta,
    value: scalar && value.length === 1 && first !== undefined ? first : value,
    count: value.length,
  };
}
