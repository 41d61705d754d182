// The rows a `collect` gets from a device (partial events or partial pages) become event pages
// of the device's streams; rows whose keys differ from the stream's descriptor fail the collect.
import { randomUUID } from "node:crypto";
import type {
  AnyIterable,
  Collectable,
  EventCollectable,
  EventPageCollectable,
} from "@cerulean/devices/protocols";
import type {
  ComposeEventPageOptions,
  EventPage,
  PartialEvent,
  PartialEventPage,
} from "@cerulean/event-model";
import { DeviceError } from "../errors.ts";
import { keySetId } from "./collect-keys.ts";
import { explainKeyError, keysMismatch } from "./data-keys-check.ts";
import type { RunBundler, StreamInfo } from "./run-bundler.ts";

/** Calls `each` on every item a device method yields; its failures become DeviceError. */
async function eachFromDevice<T>(
  command: string,
  obj: Collectable,
  call: () => AnyIterable<T>,
  each: (item: T) => void,
): Promise<void> {
  let items: AnyIterable<T>;
  try {
    items = call();
  } catch (err) {
    throw new DeviceError(command, obj.name, err);
  }
  if (Symbol.iterator in items) {
    // Synchronous iterables (arrays) are walked without a turn of the event loop per item.
    const it = (items as Iterable<T>)[Symbol.iterator]();
    for (;;) {
      let step: IteratorResult<T>;
      try {
        step = it.next();
      } catch (err) {
        throw new DeviceError(command, obj.name, err);
      }
      if (step.done) return;
      each(step.value);
    }
  }
  const it = (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<T>;
    try {
      step = await it.next();
    } catch (err) {
      throw new DeviceError(command, obj.name, err);
    }
    if (step.done) return;
    each(step.value);
  }
}

/** Where collected rows go: a declared stream, or the stream their keys belong to. */
export interface Target {
  local: Map<string, string>;
  streamName: string | undefined;
  returnPayload: boolean;
}

function streamOf(run: RunBundler, keys: string[], target: Target, device: string): string {
  const name = target.streamName ?? target.local.get(keySetId(keys));
  const stream = name === undefined ? undefined : run.streams.get(name);
  if (name === undefined || stream === undefined) {
    throw new Error(
      `"${device}" collected data with keys ${JSON.stringify(keys)}, which match none of its streams`,
    );
  }
  for (const key of keys) {
    if (stream.streamKeys.includes(key)) {
      throw new Error(
        `"${device}" collected event data for "${key}", which is stored in an external stream`,
      );
    }
  }
  return name;
}

interface Columns {
  rows: number;
  data: Record<string, unknown[]>;
  timestamps: Record<string, unknown[]>;
  filled: Record<string, (boolean | string)[]> | undefined;
}

/** Collects partial events of `obj` into one page per stream. */
export async function collectEvents(
  run: RunBundler,
  obj: EventCollectable,
  target: Target,
): Promise<unknown[] | undefined> {
  const payload: PartialEvent[] = [];
  const pages = new Map<string, Columns>();
  let lastKeys: string | undefined;
  let lastStream = "";
  let page: Columns | undefined;
  await eachFromDevice(
    "collect",
    obj,
    () => obj.collect(),
    (event) => {
      if (target.returnPayload) payload.push(event);
      const keys = Object.keys(event.data);
      const joined = keys.join("\u0000");
      if (joined !== lastKeys) {
        lastStream = streamOf(run, keys, target, obj.name);
        lastKeys = joined;
        // Each partial event must carry its stream's keys: a page column cannot have holes.
        const mismatch = keysMismatch(
          { device: obj.name, described: descriptorKeys(run, lastStream), got: keys },
          lastStream,
          "collect()",
          run.streams.get(lastStream)?.streamKeys,
        );
        if (mismatch !== undefined) throw mismatch;
        page = pages.get(lastStream);
        if (page === undefined) {
          page = { rows: 0, data: {}, timestamps: {}, filled: event.filled ? {} : undefined };
          for (const key of keys) {
            page.data[key] = [];
            page.timestamps[key] = [];
          }
          for (const key of Object.keys(event.filled ?? {}))
            (page.filled as Columns["data"])[key] = [];
          pages.set(lastStream, page);
        }
      }
      const columns = page as Columns;
      if (!sameTimestampKeys(event.timestamps, columns.timestamps, keys.length)) {
        throw keysMismatch(
          { device: obj.name, described: keys, got: Object.keys(event.timestamps) },
          lastStream,
          "the timestamps of collect()",
        );
      }
      columns.rows++;
      for (const key in columns.data) (columns.data[key] as unknown[]).push(event.data[key]);
      for (const key in columns.timestamps)
        (columns.timestamps[key] as unknown[]).push(event.timestamps[key]);
      if (columns.filled) {
        for (const key in columns.filled) {
          const value = event.filled?.[key];
          if (value === undefined)
            throw new Error(`"${obj.name}" collected events with differing "filled" keys`);
          (columns.filled[key] as unknown[]).push(value);
        }
      }
    },
  );
  for (const [name, columns] of pages) {
    const stream = run.streams.get(name);
    if (!stream) continue;
    // Rows are counted, not inferred from columns: events may carry no data at all.
    const first = run.counters.get(name) ?? 1;
    const now = Date.now() / 1000;
    const doc = composePage(run, obj.name, name, {
      data: columns.data,
      timestamps: columns.timestamps,
      filled: columns.filled,
      seq_num: Array.from({ length: columns.rows }, (_, i) => first + i),
      time: new Array<number>(columns.rows).fill(now),
      uid: Array.from({ length: columns.rows }, () => randomUUID()),
      validate: run.options.validate,
    });
    run.emit("event_page", doc);
  }
  return target.returnPayload ? payload : undefined;
}

/** The data keys of the current descriptor of stream `name`. */
function descriptorKeys(run: RunBundler, name: string): string[] {
  return Object.keys(run.streams.get(name)?.bundle.descriptorDoc.data_keys ?? {});
}

/** True when `timestamps` has exactly the `count` keys of `columns` (no allocation). */
function sameTimestampKeys(
  timestamps: Record<string, unknown>,
  columns: Record<string, unknown[]>,
  count: number,
): boolean {
  let n = 0;
  for (const key in timestamps) {
    if (!(key in columns)) return false;
    n++;
  }
  return n === count;
}

/** Composes a page of stream `name`; a key mismatch becomes an error naming the device. */
function composePage(
  run: RunBundler,
  device: string,
  name: string,
  options: ComposeEventPageOptions,
): EventPage {
  const stream = run.streams.get(name) as StreamInfo;
  try {
    return stream.bundle.composeEventPage(options);
  } catch (err) {
    const described = descriptorKeys(run, name);
    throw explainKeyError(
      err,
      name,
      [
        { device, described, got: Object.keys(options.data) },
        { device, described, got: Object.keys(options.timestamps) },
      ],
      "collect()",
      stream.streamKeys,
    );
  }
}

/** Collects partial pages of `obj`, one event page each. */
export async function collectPages(
  run: RunBundler,
  obj: EventPageCollectable,
  target: Target,
): Promise<unknown[] | undefined> {
  const payload: PartialEventPage[] = [];
  await eachFromDevice(
    "collect_pages",
    obj,
    () => obj.collectPages(),
    (page) => {
      if (target.returnPayload) payload.push(page);
      const name = streamOf(run, Object.keys(page.data), target, obj.name);
      const stream = run.streams.get(name);
      if (!stream) return;
      const doc = composePage(run, obj.name, name, {
        data: page.data,
        timestamps: page.timestamps,
        filled: page.filled,
        validate: run.options.validate,
      });
      run.emit("event_page", doc);
    },
  );
  return target.returnPayload ? payload : undefined;
}
