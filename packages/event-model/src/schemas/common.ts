// Building blocks shared by the document schemas. The schemas are our own definitions; tests
// prove them equivalent to the reference event-model schemas (shared/reference).
import { type Static, type TSchema, Type } from "@sinclair/typebox";

/**
 * Key names allowed at the top level of start, stop and descriptor documents (and, for start and
 * descriptor, at every depth of nested objects): non-empty, without "." or "/".
 */
export const KEY_NAME_PATTERN = "^([^./]+)$";

/** Reference to the recursive key-name rule; each root schema defines it under `$defs`. */
export const dataTypeRef = Type.Unsafe<unknown>({ $ref: "#/$defs/DataType" });

/** The recursive key-name rule: any value, but objects may only use allowed key names. */
export const recursiveDataType = {
  patternProperties: { [KEY_NAME_PATTERN]: { $ref: "#/$defs/DataType" } },
  additionalProperties: false,
} as const;

/** A JSON object whose values all follow `value`, with any key names. */
export function dict<T extends TSchema>(value: T) {
  return Type.Unsafe<Record<string, Static<T>>>({ type: "object", additionalProperties: value });
}

/** A JSON object with anything in it. */
export const anyObject = Type.Unsafe<Record<string, unknown>>({
  type: "object",
  additionalProperties: true,
});

/** A JSON array with anything in it. */
export const anyArray = Type.Unsafe<unknown[]>({ type: "array", items: {} });

/** A value or null. */
export function nullable<T extends TSchema>(value: T) {
  return Type.Union([value, Type.Null()]);
}
