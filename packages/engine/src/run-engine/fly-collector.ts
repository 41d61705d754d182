// `collect`: data buffered by flyers and stream-writing detectors becomes event pages (and
// stream_datum documents), as Bluesky's RunBundler.collect.

import type {
  Collectable,
  DataKeys,
  EventCollectable,
  EventPageCollectable,
  WritesStreamAssets,
} from "@cerulean/devices/protocols";
import { IllegalMessageSequence, ProtocolError } from "../errors.ts";
import { objectName } from "../msg.ts";
import { type AssetDoc, packAssets } from "./asset-packer.ts";
import { collectEvents, collectPages } from "./collect-events.ts";
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
