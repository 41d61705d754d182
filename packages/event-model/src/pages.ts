// Conversions between events and event pages (column-wise). These sit on hot paths (a detector
// page can hold 100,000 rows), so the loops are plain indexed loops over pre-fetched columns,
// and key order and values are copied exactly, never normalised.
import { EventModelValueError, UnfilledData } from "./errors.ts";
import {
  checkLength,
  columnsOf,
  concatColumns,
  concatField,
  prepareColumns,
  type Row,
  rechunk,
  rowOf,
  sliceColumns,
} from "./page-columns.ts";
import type { BulkEvents } from "./schemas/bulk.ts";
import type { Event, EventPage } from "./schemas/event.ts";

type Filled = Record<string, boolean | string>;
type FilledColumns = Record<string, (boolean | string)[]>;

/**
 * Packs events of one descriptor into an event page (column-wise), keeping the first event's key
 * order. Pass an array for large pages (a spread of 100,000 arguments overflows the stack).
 * Throws EventModelValueError for no events, mixed descriptors or differing key sets. An event
 * without `filled` counts as `filled: {}`; the page always has `filled`.
 */
export function packEventPage(events: readonly Event[]): EventPage;
export function packEventPage(...events: Event[]): EventPage;
export function packEventPage(...args: Event[] | [readonly Event[]]): EventPage {
  const events = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Event[];
  const first = events[0];
  if (first === undefined) {
    throw new EventModelValueError("packEventPage needs at least one event (got none)");
  }
  const n = events.length;
  const descriptor = first.descriptor;
  const uid: string[] = [];
  const time: number[] = [];
  const seqNum: number[] = [];
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    if (event.descriptor !== descriptor) {
      throw new EventModelValueError(
        `packEventPage: event ${i} (uid ${event.uid}) belongs to descriptor ${JSON.stringify(event.descriptor)} but event 0 (uid ${first.uid}) to ${JSON.stringify(descriptor)}; a page holds one descriptor`,
      );
    }
    uid.push(event.uid);
    time.push(event.time);
    seqNum.push(event.seq_num);
  }
  const rows = events as unknown as readonly Row[];
  const label = (i: number) => `event ${i} (uid ${events[i]?.uid})`;
  return {
    uid,
    time,
    data: columnsOf(rows, "data", "packEventPage", label),
    timestamps: columnsOf(rows, "timestamps", "packEventPage", label),
    seq_num: seqNum,
    filled: columnsOf(rows, "filled", "packEventPage", label) as FilledColumns,
    descriptor,
  };
}

/**
 * Unpacks an event page into its events, in page order. Every event gets `filled` (`{}` when the
 * page has none). Throws EventModelValueError when a column's length differs from `uid`'s.
 */
export function unpackEventPage(page: EventPage): Event[] {
  const n = eventPageRows(page, "unpackEventPage");
  const data = prepareColumns(page.data);
  const timestamps = prepareColumns(page.timestamps);
  const filled = prepareColumns(page.filled ?? {});
  const events: Event[] = new Array(n);
  for (let i = 0; i < n; i++) {
    events[i] = {
      uid: page.uid[i]!,
      time: page.time[i]!,
      data: rowOf(data, i),
      timestamps: rowOf(timestamps, i),
      seq_num: page.seq_num[i]!,
      filled: rowOf(filled, i) as Filled,
      descriptor: page.descriptor,
    };
  }
  return events;
}

/**
 * Concatenates event pages of one descriptor into one page, keeping the first page's key order.
 * A single page is returned as is. Pages without `filled` count as `filled: {}`.
 */
export function mergeEventPages(pages: readonly EventPage[]): EventPage {
  const first = pages[0];
  if (first === undefined) {
    throw new EventModelValueError("mergeEventPages needs at least one page (got none)");
  }
  if (pages.length === 1) return first;
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p]!;
    eventPageRows(page, "mergeEventPages");
    if (page.descriptor !== first.descriptor) {
      throw new EventModelValueError(
        `mergeEventPages: page ${p} belongs to descriptor ${JSON.stringify(page.descriptor)} but page 0 to ${JSON.stringify(first.descriptor)}; merged pages must share one descriptor`,
      );
    }
  }
  const label = (p: number) => `page ${p}`;
  const parts = pages as unknown as readonly Row[];
  return {
    uid: concatField(pages, (p) => p.uid),
    time: concatField(pages, (p) => p.time),
    data: concatColumns(parts, "data", "mergeEventPages", label),
    timestamps: concatColumns(parts, "timestamps", "mergeEventPages", label),
    seq_num: concatField(pages, (p) => p.seq_num),
    filled: concatColumns(parts, "filled", "mergeEventPages", label) as FilledColumns,
    descriptor: first.descriptor,
  };
}

/**
 * Regroups a stream of event pages (of one descriptor) into pages of exactly `size` rows; the
 * last page may be shorter. Lazy: pages are read as the result is iterated.
 */
export function* rechunkEventPages(
  pages: Iterable<EventPage>,
  size: number,
): Generator<EventPage, void, undefined> {
  yield* rechunk(pages, size, "rechunkEventPages", {
    rows: (p) => eventPageRows(p, "rechunkEventPages"),
    slice: sliceEventPage,
    merge: mergeEventPages,
  });
}

/** Converts the deprecated bulk_events document into one event page per descriptor, first seen first. */
export function bulkEventsToEventPages(bulk: BulkEvents): EventPage[] {
  const byDescriptor = new Map<string, Event[]>();
  for (const events of Object.values(bulk)) {
    for (const event of events) {
      let group = byDescriptor.get(event.descriptor);
      if (!group) {
        group = [];
        byDescriptor.set(event.descriptor, group);
      }
      group.push(event as Event);
    }
  }
  return [...byDescriptor.values()].map((events) => packEventPage(events));
}

/**
 * Throws UnfilledData, naming the data key and row, when any `filled` entry of an event or event
 * page is false (or empty): its data still holds a datum_id instead of the data.
 */
export function verifyFilled(doc: EventPage | Event): void {
  const filled = doc.filled ?? {};
  for (const [key, value] of Object.entries(filled)) {
    if (Array.isArray(value)) {
      const page = doc as EventPage;
      const row = value.findIndex((v) => !v);
      if (row >= 0) {
        throw new UnfilledData(
          `event page of descriptor ${page.descriptor}: data key "${key}" is not filled in row ${row} (seq_num ${page.seq_num[row]}); it still holds ${JSON.stringify(page.data[key]?.[row])}`,
        );
      }
    } else if (!value) {
      const event = doc as Event;
      throw new UnfilledData(
        `event ${event.uid} (seq_num ${event.seq_num}): data key "${key}" is not filled; it still holds ${JSON.stringify(event.data[key])}`,
      );
    }
  }
}

// ---- internals

/** The number of rows of an event page; throws when a column disagrees with `uid`. */
function eventPageRows(page: EventPage, caller: string): number {
  const where = `${caller}: event page of descriptor ${page.descriptor}`;
  if (!Array.isArray(page.uid)) throw new EventModelValueError(`${where}: uid must be an array`);
  const n = page.uid.length;
  checkLength(page.time, n, `${where}: column "time"`);
  checkLength(page.seq_num, n, `${where}: column "seq_num"`);
  for (const part of ["data", "timestamps", "filled"] as const) {
    const columns = page[part] ?? {};
    for (const key in columns) checkLength(columns[key], n, `${where}: ${part}["${key}"]`);
  }
  return n;
}

function sliceEventPage(page: EventPage, start: number, stop: number): EventPage {
  return {
    uid: page.uid.slice(start, stop),
    time: page.time.slice(start, stop),
    data: sliceColumns(page.data, start, stop),
    timestamps: sliceColumns(page.timestamps, start, stop),
    seq_num: page.seq_num.slice(start, stop),
    filled: sliceColumns(page.filled ?? {}, start, stop),
    descriptor: page.descriptor,
  };
}
