import { type Static, Type } from "@sinclair/typebox";
import { anyObject } from "./common.ts";

/** A half-open range [start, stop) of rows or sequence numbers. */
export const StreamRangeSchema = Type.Object({ start: Type.Integer(), stop: Type.Integer() });
export type StreamRange = Static<typeof StreamRangeSchema>;

/** The "stream_resource" document: an external stream (e.g. an HDF5 dataset) for one data key. */
export const StreamResourceSchema = Type.Object({
  uid: Type.String(),
  data_key: Type.String(),
  mimetype: Type.String(),
  uri: Type.String(),
  parameters: anyObject,
  run_start: Type.Optional(Type.String()),
});
export type StreamResource = Static<typeof StreamResourceSchema> & { [extra: string]: unknown };

/** The "stream_datum" document: which rows of a stream resource hold which events. */
export const StreamDatumSchema = Type.Object({
  uid: Type.String(),
  stream_resource: Type.String(),
  descriptor: Type.String(),
  /** Zero-based rows inside the external resource. */
  indices: StreamRangeSchema,
  /** One-based event sequence numbers those rows occupy in the stream. */
  seq_nums: StreamRangeSchema,
});
export type StreamDatum = Static<typeof StreamDatumSchema> & { [extra: string]: unknown };
