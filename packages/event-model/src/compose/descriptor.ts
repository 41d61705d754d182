import { EventModelValidationError, EventModelValueError } from "../errors.ts";
import type { DataKey } from "../schemas/data-key.ts";
import type { Event, EventPage } from "../schemas/event.ts";
import type { Configuration, EventDescriptor, PerObjectHint } from "../schemas/event-descriptor.ts";
import { validateDocument } from "../validate.ts";
import { newUid, now, type RunState } from "./run-state.ts";

export interface ComposeDescriptorOptions {
  /** The stream name ("primary", "baseline", ...). */
  name: string;
  data_keys: Record<string, DataKey>;
  hints?: Record<string, PerObjectHint>;
  configuration?: Record<string, Configuration>;
  object_keys?: Record<string, unknown>;
  object_classes?: Record<string, string>;
  time?: number;
  uid?: string;
  validate?: boolean;
}

export interface ComposeEventOptions {
  data: Record<string, unknown>;
  timestamps: Record<string, unknown>;
  /** Defaults to the stream's next sequence number. */
  seq_num?: number;
  filled?: Record<string, boolean | string>;
  uid?: string;
  time?: number;
  /** Schema-validate (default true); the keys are checked against the descriptor regardless. */
  validate?: boolean;
}

export interface ComposeEventPageOptions {
  data: Record<string, unknown[]>;
  timestamps: Record<string, unknown[]>;
  /** Defaults to the stream's next sequence numbers. */
  seq_num?: number[];
  filled?: Record<string, (boolean | string)[]>;
  uid?: string[];
  time?: number[];
  /** Schema-validate (default true); the keys are checked against the descriptor regardless. */
  validate?: boolean;
}

/** A descriptor and the event composers bound to it. */
export interface ComposeDescriptorBundle {
  descriptorDoc: EventDescriptor;
  composeEvent(options: ComposeEventOptions): Event;
  composeEventPage(options: ComposeEventPageOptions): EventPage;
}

/** The data keys an event of a descriptor carries, and those it leaves to stream_datum. */
interface EventKeys {
  event: ReadonlySet<string>;
  stream: ReadonlySet<string>;
}

/** Composes a descriptor for `run`, registering its stream; see ComposeRunBundle.composeDescriptor. */
export function composeDescriptor(
  run: RunState,
  options: ComposeDescriptorOptions,
): ComposeDescriptorBundle {
  run.assertOpen(`descriptor "${options.name}"`);
  const validate = options.validate ?? true;
  const descriptorDoc: EventDescriptor = {
    uid: options.uid ?? newUid(),
    time: options.time ?? now(),
    run_start: run.runUid,
    name: options.name,
    data_keys: options.data_keys,
    configuration: options.configuration ?? {},
    object_keys: options.object_keys ?? {},
    object_classes: options.object_classes ?? {},
    hints: options.hints ?? {},
  };
  const keys = new Set(Object.keys(options.data_keys));
  const known = run.streams.get(options.name);
  if (validate) {
    if (known) {
      assertSameKeys(known, keys, {
        doc: "descriptor",
        path: "/data_keys",
        what: `descriptor of stream "${options.name}"`,
        against: "earlier descriptors of that stream",
      });
    }
    validateDocument("descriptor", descriptorDoc);
  }
  if (!known) {
    run.streams.set(options.name, keys);
    if (!run.eventCounters.has(options.name)) run.eventCounters.set(options.name, 1);
  }
  // Keys whose data arrives through stream_datum are absent from events.
  const stream = new Set([...keys].filter((k) => options.data_keys[k]?.external === "STREAM:"));
  const eventKeys: EventKeys = { event: new Set([...keys].filter((k) => !stream.has(k))), stream };
  const name = options.name;
  const context = `stream "${name}" (descriptor ${descriptorDoc.uid})`;

  return {
    descriptorDoc,
    composeEvent(o: ComposeEventOptions): Event {
      run.assertOpen(`an event of stream "${name}"`);
      const seq_num = o.seq_num ?? run.eventCounters.get(name) ?? 1;
      const event: Event = {
        uid: o.uid ?? newUid(),
        time: o.time ?? now(),
        data: o.data,
        timestamps: o.timestamps,
        seq_num,
        filled: o.filled ?? {},
        descriptor: descriptorDoc.uid,
      };
      // The key sets are always checked (cheap); `validate` governs only the schema pass.
      if (o.validate ?? true) validateDocument("event", event);
      checkEventKeys(eventKeys, event.data, event.timestamps, event.filled ?? {}, context);
      run.eventCounters.set(name, seq_num + 1);
      return event;
    },
    composeEventPage(o: ComposeEventPageOptions): EventPage {
      run.assertOpen(`an event page of stream "${name}"`);
      const length = pageLength(o.data, o.timestamps, context);
      const first = run.eventCounters.get(name) ?? 1;
      const page: EventPage = {
        uid: o.uid ?? Array.from({ length }, () => newUid()),
        time: o.time ?? new Array<number>(length).fill(now()),
        data: o.data,
        timestamps: o.timestamps,
        seq_num: o.seq_num ?? Array.from({ length }, (_, i) => first + i),
        filled: o.filled ?? {},
        descriptor: descriptorDoc.uid,
      };
      checkEventKeys(eventKeys, page.data, page.timestamps, page.filled ?? {}, context);
      if (o.validate ?? true) {
        validateDocument("event_page", page);
        for (const column of ["uid", "time", "seq_num"] as const) {
          if (page[column].length !== length) {
            throw new EventModelValueError(
              `event page of ${context}: column "${column}" has ${page[column].length} rows, expected ${length} like data`,
            );
          }
        }
      }
      run.eventCounters.set(name, first + page.seq_num.length);
      return page;
    },
  };
}

/** The number of rows of a page; every data and timestamps column must have it. */
function pageLength(
  data: Record<string, unknown[]>,
  timestamps: Record<string, unknown[]>,
  context: string,
): number {
  let length: number | undefined;
  let lengthFrom = "";
  for (const [part, columns] of [
    ["data", data],
    ["timestamps", timestamps],
  ] as const) {
    for (const [key, column] of Object.entries(columns)) {
      if (!Array.isArray(column)) {
        throw new EventModelValueError(
          `event page of ${context}: ${part}["${key}"] must be an array of rows`,
        );
      }
      if (length === undefined) {
        length = column.length;
        lengthFrom = `${part}["${key}"]`;
      } else if (column.length !== length) {
        throw new EventModelValueError(
          `event page of ${context}: ${part}["${key}"] has ${column.length} rows but ${lengthFrom} has ${length}`,
        );
      }
    }
  }
  return length ?? 0;
}

/** True when the keys of `o`, stream keys aside, are exactly the event keys (no allocation). */
function hasEventKeys(keys: EventKeys, o: Record<string, unknown>): boolean {
  let count = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) return false;
    if (keys.event.has(k)) count++;
    else if (!keys.stream.has(k)) return false;
  }
  return count === keys.event.size;
}

/** Event data and timestamps must hold exactly the descriptor's keys (Python's compose_event). */
function checkEventKeys(
  keys: EventKeys,
  data: Record<string, unknown>,
  timestamps: Record<string, unknown>,
  filled: Record<string, unknown>,
  context: string,
): void {
  if (hasEventKeys(keys, data) && hasEventKeys(keys, timestamps)) {
    let filledOk = true;
    for (const k in filled) {
      if (!(k in data)) {
        filledOk = false;
        break;
      }
    }
    if (filledOk) return;
  }
  const withoutStreamKeys = (o: Record<string, unknown>) =>
    Object.keys(o).filter((k) => !keys.stream.has(k));
  const against = "the descriptor's data_keys";
  assertSameKeys(keys.event, withoutStreamKeys(data), {
    doc: "event",
    path: "/data",
    what: `data of ${context}`,
    against,
  });
  assertSameKeys(keys.event, withoutStreamKeys(timestamps), {
    doc: "event",
    path: "/timestamps",
    what: `timestamps of ${context}`,
    against,
  });
  const extra = Object.keys(filled).filter((k) => !(k in data));
  if (extra.length > 0) {
    throw new EventModelValidationError("event", [
      { path: "/filled", message: `keys ${JSON.stringify(extra)} of ${context} are not in data` },
    ]);
  }
}

interface KeyCheck {
  doc: string;
  path: string;
  what: string;
  against: string;
}

function assertSameKeys(
  expected: ReadonlySet<string>,
  actual: Iterable<string>,
  check: KeyCheck,
): void {
  const got = new Set(actual);
  if (got.size === expected.size && [...got].every((k) => expected.has(k))) return;
  const missing = [...expected].filter((k) => !got.has(k));
  const unexpected = [...got].filter((k) => !expected.has(k));
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${JSON.stringify(missing)}`);
  if (unexpected.length > 0) parts.push(`unexpected ${JSON.stringify(unexpected)}`);
  throw new EventModelValidationError(check.doc, [
    {
      path: check.path,
      message: `keys of ${check.what} differ from ${check.against}: ${parts.join(", ")}`,
    },
  ]);
}
