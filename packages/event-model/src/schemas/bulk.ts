// Deprecated upstream, kept so that old archives can be read and converted to pages.
import { type Static, Type } from "@sinclair/typebox";
import { anyObject } from "./common.ts";

const BulkEventSchema = Type.Object(
  {
    uid: Type.String(),
    descriptor: Type.String(),
    seq_num: Type.Integer(),
    time: Type.Number(),
    data: anyObject,
    timestamps: anyObject,
    filled: Type.Optional(anyObject),
  },
  { additionalProperties: false },
);

/** The deprecated "bulk_events" document: stream name to a list of events. */
export const BulkEventsSchema = Type.Unsafe<Record<string, Static<typeof BulkEventSchema>[]>>({
  patternProperties: { "^.*$": { type: "array", items: BulkEventSchema } },
});
export type BulkEvents = Static<typeof BulkEventsSchema>;

/** The deprecated "bulk_datum" document: many datums of one resource, row-wise. */
export const BulkDatumSchema = Type.Object(
  {
    resource: Type.String(),
    datum_ids: Type.Array(Type.String()),
    datum_kwarg_list: Type.Array(anyObject),
  },
  { additionalProperties: false },
);
export type BulkDatum = Static<typeof BulkDatumSchema>;
