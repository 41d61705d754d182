import type { TSchema } from "@sinclair/typebox";
import { BulkDatumSchema, BulkEventsSchema } from "./bulk.ts";
import { EventPageSchema, EventSchema } from "./event.ts";
import { EventDescriptorSchema } from "./event-descriptor.ts";
import { DatumPageSchema, DatumSchema, ResourceSchema } from "./resource.ts";
import { RunStartSchema } from "./run-start.ts";
import { RunStopSchema } from "./run-stop.ts";
import { StreamDatumSchema, StreamResourceSchema } from "./stream.ts";

/** The JSON Schema of every document name, including the two deprecated bulk forms. */
export const documentSchemas = {
  start: RunStartSchema,
  descriptor: EventDescriptorSchema,
  event: EventSchema,
  event_page: EventPageSchema,
  stop: RunStopSchema,
  resource: ResourceSchema,
  datum: DatumSchema,
  datum_page: DatumPageSchema,
  stream_resource: StreamResourceSchema,
  stream_datum: StreamDatumSchema,
  bulk_events: BulkEventsSchema,
  bulk_datum: BulkDatumSchema,
} as const satisfies Record<string, TSchema>;
