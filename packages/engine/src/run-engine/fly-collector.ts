// `collect`: data buffered by flyers and stream-writing detectors becomes event pages (and
// stream_datum documents), as Bluesky's RunBundler.collect.

import { randomUUID } from "node:crypto";
import type {
  AnyIterable,
  Collectable,
  DataKeys,
  EventCollectable,
  EventPageCollectable,
  WritesStreamAssets,
} from "@cerulean/devices/protocols";
import type { PartialEvent, PartialEventPage } from "@cerulean/event-model";
import { DeviceError, IllegalMessageSequence, ProtocolError } from "../errors.ts";
import { objectName } from "../msg.ts";
import { type AssetDoc, packAssets } from "./asset-packer.ts";
import { type CollectKeys, isFlat, keySetId, sameSet } from "./collect-keys.ts";
import type { RunBundler } from "./run-bundler.ts";
import { callDevice } from "./stream-cache.ts";

/** Options of a collect, Bluesky's `Msg('collect', *objs, stream=, return_payload=, name=)`. */
export interface CollectOptions {
  stream?: boolean | undefined;
  returnPayload?: boolean | undefined;
  name?: string | null | undefined;
}

const describeCollectCache = new WeakMap<RunBundler, Map<object, CollectKeys>>();
/** Per run and object: keys-set id of partial events → stream name (doubly nested flyers). */
const localStreams = new WeakMap<RunBundler, Map<object, Map<string, string>>>();

function has<K extends string>(
  obj: unknown,
  method: K,
): obj is Record<K, (...args: never[]) => unknown> {
  return (
    typeof obj === "object" &&
    obj !== null &&
    typeof (obj as Record<K, unknown>)[method] === "function"
  );
}

function assertCollectable(obj: unknown): Collectable {
  if (!has(obj, "describeCollect")) {
    throw new ProtocolError(
      `"collect" needs a Collectable object (with describeCollect()); got ${objectName(obj)}`,
    );
  }
  return obj as unknown as Collectable;
}

function writesStreamAssets(obj: unknown): obj is WritesStreamAssets {
  return has(obj, "getIndex") && has(obj, "collectAssetDocs");
}

/** describe_collect of `obj`, asked once per run. */
export async function describeCollect(run: RunBundler, obj: object): Promise<CollectKeys> {
  let cache = describeCollectCache.get(run);
  if (!cache) {
    cache = new Map();
    describeCollectCache.set(run, cache);
  }
  const known = cache.get(obj);
  if (known) return known;
  const collectable = assertCollectable(obj);
  const keys = await callDevice("describe_collect", obj, () => collectable.describeCollect());
  cache.set(obj, keys);
  return keys;
}

/** For a flyer whose describe_collect names its streams: a descriptor per stream (once). */
async function prepareNestedStreams(run: RunBundler, obj: object): Promise<Map<string, string>> {
  const keys = await describeCollect(run, obj);
  if (isFlat(keys)) {
    throw new IllegalMessageSequence(
      `"collect" of "${objectName(obj)}": its describe_collect gives flat data keys, so its stream must be declared first with declare_stream(${objectName(obj)}, name=..., collect=true)`,
    );
  }
  const nested = keys as Record<string, DataKeys>;
  const seen = new Map<string, string>();
  for (const [stream, dks] of Object.entries(nested)) {
    for (const key of Object.keys(dks)) {
      const other = seen.get(key);
      if (other !== undefined) {
        throw new Error(
          `data key "${key}" of "${objectName(obj)}" is in two streams, "${other}" and "${stream}"`,
        );
      }
      seen.set(key, stream);
    }
  }
  const local = new Map<string, string>();
  for (const [stream, dks] of Object.entries(nested)) {
    const cache = run.streamCache(stream);
    cache.describe.set(obj, dks);
    await cache.ensure(obj, true);
    const existing = run.streams.get(stream);
    if (!existing?.objs.has(obj)) {
      run.prepareStream(stream, new Map([[obj, dks]]));
    } else if (keySetId(Object.keys(existing.objs.get(obj) ?? {})) !== keySetId(Object.keys(dks))) {
      throw new Error(`mismatched data keys of "${objectName(obj)}" in stream "${stream}"`);
    }
    local.set(keySetId(Object.keys(dks)), stream);
  }
  return local;
}

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

/** Runs `collect` for `objs` in `run`; returns the payload when Bluesky would. */
export async function collect(
  run: RunBundler,
  objs: readonly unknown[],
  options: CollectOptions,
): Promise<unknown[] | undefined> {
  if (options.stream === true) {
    throw new Error("collect emits event pages (stream=false); stream=true is no longer supported");
  }
  let returnPayload = options.returnPayload ?? true;
  const collectables = objs.map(assertCollectable);
  if (collectables.length > 1) {
    for (const obj of collectables) {
      if (!writesStreamAssets(obj)) {
        throw new ProtocolError(
          `"collect" of several objects needs each to write stream assets (getIndex, collectAssetDocs); "${obj.name}" does not`,
        );
      }
    }
  }
  for (const obj of collectables) run.uncollected.delete(obj);
  const objSet = new Set<object>(collectables);
  const declared = run.declared.find((d) => sameSet(d.objs, objSet))?.names ?? [];
  let streamName: string | undefined;
  if (options.name) {
    if (!declared.includes(options.name)) {
      throw new IllegalMessageSequence(
        `"collect" into stream "${options.name}", which was not declared for ${collectables.map((o) => o.name).join(", ")}; use declare_stream first`,
      );
    }
    streamName = options.name;
  } else if (declared.length > 0) {
    if (new Set(declared).size > 1) {
      throw new IllegalMessageSequence(
        `"collect" without a stream name, but streams ${JSON.stringify(declared)} are declared for these objects; pass name=`,
      );
    }
    streamName = declared[0];
  }
  let locals = localStreams.get(run);
  if (!locals) {
    locals = new Map();
    localStreams.set(run, locals);
  }
  const first = collectables[0] as Collectable;
  if (streamName === undefined && !locals.has(first)) {
    if (collectables.length > 1) {
      throw new IllegalMessageSequence(
        "collecting several objects needs a stream declared for all of them first, and its name",
      );
    }
    locals.set(first, await prepareNestedStreams(run, first));
  }
  let minIndex: number | undefined;
  if (collectables.length > 1) {
    const indices = await Promise.all(
      collectables.map((o) =>
        callDevice("get_index", o, () => (o as unknown as WritesStreamAssets).getIndex()),
      ),
    );
    minIndex = Math.min(...indices);
  }
  const assetDocs: AssetDoc[] = [];
  for (const obj of collectables) {
    if (!has(obj, "collectAssetDocs")) continue;
    const docs = (obj as unknown as WritesStreamAssets).collectAssetDocs(minIndex);
    for await (const doc of docs) assetDocs.push(doc);
  }
  const width = packAssets(run, assetDocs, streamName);
  if (collectables.length === 1 && !writesStreamAssets(first)) {
    let local = locals.get(first);
    if (local === undefined) {
      const stream = run.streams.get(streamName as string);
      local = new Map([
        [keySetId(Object.keys(stream?.objs.get(first) ?? {})), streamName as string],
      ]);
      locals.set(first, local);
    }
    if (has(first, "collectPages")) {
      return collectPages(run, first as unknown as EventPageCollectable, {
        local,
        streamName,
        returnPayload,
      });
    }
    if (has(first, "collect")) {
      return collectEvents(run, first as unknown as EventCollectable, {
        local,
        streamName,
        returnPayload,
      });
    }
    returnPayload = false;
    if (streamName === undefined) {
      throw new Error(
        `"collect" of "${first.name}", which yields neither events nor pages, needs name=<stream>`,
      );
    }
  }
  if (streamName !== undefined)
    run.counters.set(streamName, (run.counters.get(streamName) ?? 1) + width);
  return undefined;
}

interface Target {
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

async function collectEvents(
  run: RunBundler,
  obj: EventCollectable,
  target: Target,
): Promise<unknown[] | undefined> {
  const payload: PartialEvent[] = [];
  const pages = new Map<string, Columns>();
  let lastKeys: string | undefined;
  let lastStream = "";
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
      }
      let page = pages.get(lastStream);
      if (page === undefined) {
        page = { rows: 0, data: {}, timestamps: {}, filled: event.filled ? {} : undefined };
        for (const key of keys) page.data[key] = [];
        for (const key of Object.keys(event.timestamps)) page.timestamps[key] = [];
        for (const key of Object.keys(event.filled ?? {}))
          (page.filled as Columns["data"])[key] = [];
        pages.set(lastStream, page);
      }
      page.rows++;
      for (const key in page.data) (page.data[key] as unknown[]).push(event.data[key]);
      for (const key in page.timestamps)
        (page.timestamps[key] as unknown[]).push(event.timestamps[key]);
      if (page.filled) {
        for (const key in page.filled) {
          const value = event.filled?.[key];
          if (value === undefined)
            throw new Error(`"${obj.name}" collected events with differing "filled" keys`);
          (page.filled[key] as unknown[]).push(value);
        }
      }
    },
  );
  for (const [name, page] of pages) {
    const stream = run.streams.get(name);
    if (!stream) continue;
    // Rows are counted, not inferred from columns: events may carry no data at all.
    const first = run.counters.get(name) ?? 1;
    const now = Date.now() / 1000;
    const doc = stream.bundle.composeEventPage({
      data: page.data,
      timestamps: page.timestamps,
      filled: page.filled,
      seq_num: Array.from({ length: page.rows }, (_, i) => first + i),
      time: new Array<number>(page.rows).fill(now),
      uid: Array.from({ length: page.rows }, () => randomUUID()),
      validate: run.options.validate,
    });
    run.emit("event_page", doc);
  }
  return target.returnPayload ? payload : undefined;
}

async function collectPages(
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
      const doc = stream.bundle.composeEventPage({
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

/** Collects flyers kicked off but never collected (cleanup); failures are reported, not thrown. */
export async function backstopCollect(
  run: RunBundler,
  warn: (message: string, err: unknown) => void,
): Promise<void> {
  for (const obj of [...run.uncollected]) {
    try {
      await collect(run, [obj], { returnPayload: false });
    } catch (err) {
      warn(`could not collect "${objectName(obj)}" at the end of the run`, err);
    }
  }
}
