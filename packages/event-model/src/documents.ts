import type { BulkDatum, BulkEvents } from "./schemas/bulk.ts";
import type { Event, EventPage } from "./schemas/event.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";
import type { Datum, DatumPage, Resource } from "./schemas/resource.ts";
import type { RunStart } from "./schemas/run-start.ts";
import type { RunStop } from "./schemas/run-stop.ts";
import type { StreamDatum, StreamResource } from "./schemas/stream.ts";

/** Each live document name and the type of its document. */
export interface DocumentMap {
  start: RunStart;
  descriptor: EventDescriptor;
  event: Event;
  event_page: EventPage;
  stop: RunStop;
  resource: Resource;
  datum: Datum;
  datum_page: DatumPage;
  stream_resource: StreamResource;
  stream_datum: StreamDatum;
}

/** The names of the live documents, as they appear on the wire (`[name, doc]`). */
export type DocumentName = keyof DocumentMap;

/** Every live document name, in the order a run usually emits them. */
export const DOCUMENT_NAMES: readonly DocumentName[] = [
  "start",
  "descriptor",
  "resource",
  "datum",
  "datum_page",
  "stream_resource",
  "stream_datum",
  "event",
  "event_page",
  "stop",
];

/** The deprecated bulk forms, still accepted from old archives. */
export interface LegacyDocumentMap {
  bulk_events: BulkEvents;
  bulk_datum: BulkDatum;
}
export type LegacyDocumentName = keyof LegacyDocumentMap;

/** Any live document. */
export type Document = DocumentMap[DocumentName];

/** A `[name, doc]` pair whose document type follows its name. */
export type NamedDocument = { [K in DocumentName]: [K, DocumentMap[K]] }[DocumentName];

/**
 * A consumer of a document stream: Bluesky's `callback(name, doc)` signature. A consumer that
 * falls behind may return a promise, asking the producer (the RunEngine) to wait for it.
 */
export type DocumentCallback = (...args: NamedDocument) => void;

/**
 * The rows a document carries, to weigh a backlog: an event or datum page its length, any
 * other document one.
 */
export function documentRows(...[name, doc]: NamedDocument): number {
  // Unvalidated input must not throw here: a malformed page weighs one row.
  const column =
    name === "event_page"
      ? (doc as { seq_num?: unknown }).seq_num
      : name === "datum_page"
        ? (doc as { datum_id?: unknown }).datum_id
        : undefined;
  return Array.isArray(column) ? Math.max(1, column.length) : 1;
}

/** True when `name` is one of the live document names. */
export function isDocumentName(name: unknown): name is DocumentName {
  return typeof name === "string" && (DOCUMENT_NAMES as readonly string[]).includes(name);
}
