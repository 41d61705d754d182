import { type Static, Type } from "@sinclair/typebox";
import { anyArray, anyObject, dict } from "./common.ts";

const filledValue = Type.Union([Type.Boolean(), Type.String()]);

/** An event without the fields the RunEngine assigns (what a device's `collect` may return). */
export const PartialEventSchema = Type.Object({
  data: anyObject,
  timestamps: anyObject,
  time: Type.Number(),
  /** false while `data[key]` holds a datum_id; the datum_id once filled. */
  filled: Type.Optional(dict(filledValue)),
});
export type PartialEvent = Static<typeof PartialEventSchema>;

/** The "event" document: one row of a stream. Closed: no extra keys. */
export const EventSchema = Type.Object(
  {
    uid: Type.String(),
    descriptor: Type.String(),
    seq_num: Type.Integer(),
    ...PartialEventSchema.properties,
  },
  { additionalProperties: false },
);
export type Event = Static<typeof EventSchema>;

/** An event page without the fields the RunEngine assigns. */
export const PartialEventPageSchema = Type.Object({
  data: dict(anyArray),
  timestamps: dict(anyArray),
  time: Type.Array(Type.Number()),
  filled: Type.Optional(dict(Type.Array(filledValue))),
});
export type PartialEventPage = Static<typeof PartialEventPageSchema>;

/** The "event_page" document: many rows of one stream, stored column-wise. Closed. */
export const EventPageSchema = Type.Object(
  {
    uid: Type.Array(Type.String()),
    descriptor: Type.String(),
    seq_num: Type.Array(Type.Integer()),
    ...PartialEventPageSchema.properties,
  },
  { additionalProperties: false },
);
export type EventPage = Static<typeof EventPageSchema>;
