import { type Static, Type } from "@sinclair/typebox";
import { anyArray, anyObject, dict } from "./common.ts";

/** A resource without the run it belongs to (what a device may emit). */
export const PartialResourceSchema = Type.Object({
  uid: Type.String(),
  spec: Type.String(),
  root: Type.String(),
  resource_path: Type.String(),
  resource_kwargs: anyObject,
});
export type PartialResource = Static<typeof PartialResourceSchema>;

/** The "resource" document: an external file (or other asset) that datums point into. Closed. */
export const ResourceSchema = Type.Object(
  {
    ...PartialResourceSchema.properties,
    path_semantics: Type.Optional(Type.Union([Type.Literal("posix"), Type.Literal("windows")])),
    run_start: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type Resource = Static<typeof ResourceSchema>;

/** The "datum" document: one address inside a resource, referenced from an event. Closed. */
export const DatumSchema = Type.Object(
  { datum_id: Type.String(), resource: Type.String(), datum_kwargs: anyObject },
  { additionalProperties: false },
);
export type Datum = Static<typeof DatumSchema>;

/** The "datum_page" document: many datums of one resource, column-wise. Closed. */
export const DatumPageSchema = Type.Object(
  { datum_id: Type.Array(Type.String()), resource: Type.String(), datum_kwargs: dict(anyArray) },
  { additionalProperties: false },
);
export type DatumPage = Static<typeof DatumPageSchema>;
