// The document composer of one open run (Bluesky's RunBundler): turns create/read/save,
// declare_stream, monitor, configure and collect into start, descriptor, event(_page), asset and
// stop documents, with per-stream seq_num counters that roll back on rewind.
import type { DataKeys, Readings } from "@cerulean/devices/protocols";
import {
  type ComposeDescriptorBundle,
  type ComposeRunBundle,
  type Configuration,
  composeRun,
  type DataKey,
  type Document,
  type DocumentName,
  type ExitStatus,
  type PerObjectHint,
  type RunStart,
} from "@cerulean/event-model";
import { IllegalMessageSequence } from "../errors.ts";
import { objectName } from "../msg.ts";
import { type AssetDoc, packAssets } from "./asset-packer.ts";
import { flatCollectKeys, sameSet } from "./collect-keys.ts";
import { explainKeyError } from "./data-keys-check.ts";
import { describeCollect } from "./fly-collector.ts";
import { Monitors } from "./monitors.ts";
import { StreamCache } from "./stream-cache.ts";

/** What a RunBundler needs from the engine. */
export interface RunBundlerOptions {
  /** The final start metadata (scan_id, plan_name, ... already merged and validated). */
  metadata: Record<string, unknown>;
  recordInterruptions: boolean;
  emit(name: DocumentName, doc: Document): void;
  /** Validate events and pages too (descriptors, start and stop are always validated). */
  validate: boolean;
  requireStreamDeclaration: boolean;
  reportAsyncError(err: unknown): void;
  warn(message: string): void;
}

/** One stream of the run: its current descriptor and the objects (with data keys) it holds. */
export interface StreamInfo {
  readonly name: string;
  bundle: ComposeDescriptorBundle;
  readonly objs: Map<object, DataKeys>;
  /** Data keys stored outside events in files (Resource/Datum): `filled: false` in events. */
  readonly unfilledKeys: readonly string[];
  /** Data keys stored in external streams (`external: "STREAM:"`). */
  readonly streamKeys: readonly string[];
}

/** The value `declare_stream` sends back: Bluesky's `(descriptor, compose_event, objs)`. */
export type DeclaredStream = readonly [
  ComposeDescriptorBundle["descriptorDoc"],
  ComposeDescriptorBundle["composeEvent"],
  object[],
];

/** Composes and emits the documents of one run. */
export class RunBundler {
  readonly startDoc: RunStart;
  readonly compose: ComposeRunBundle;
  isOpen = true;
  bundling = false;
  #bundleName: string | undefined;
  #objsRead: object[] = [];
  #readCache: Readings[] = [];
  #assetCache: AssetDoc[] = [];
  readonly #streamCaches = new Map<string, StreamCache>();
  #current = new StreamCache();
  /** Streams by name, each with its current descriptor. */
  readonly streams = new Map<string, StreamInfo>();
  /** Next seq_num per stream; shared with the composers, so it is only ever changed in place. */
  readonly counters = new Map<string, number>();
  readonly #snapshot = new Map<string, number>();
  /** Stream names declared for each object set (collect looks these up). */
  readonly declared: { objs: ReadonlySet<object>; names: string[] }[] = [];
  /** Flyers kicked off and not yet collected (collected at cleanup). */
  readonly uncollected = new Set<object>();
  /** stream_resource uid → the data key it holds. */
  readonly streamResources = new Map<string, string>();
  readonly monitors: Monitors;
  readonly #interruptions: ComposeDescriptorBundle | undefined;

  constructor(readonly options: RunBundlerOptions) {
    this.compose = composeRun({ metadata: options.metadata, eventCounters: this.counters });
    this.startDoc = this.compose.startDoc;
    this.monitors = new Monitors(this);
    if (options.recordInterruptions) {
      this.#interruptions = this.compose.composeDescriptor({
        name: "interruptions",
        data_keys: { interruption: { dtype: "string", shape: [], source: "RunEngine" } },
      });
    }
  }

  /** Emits the start document (and the interruptions descriptor when recording them). */
  open(): void {
    this.emit("start", this.startDoc);
    if (this.#interruptions) this.emit("descriptor", this.#interruptions.descriptorDoc);
    this.resetCheckpointState();
  }

  get uid(): string {
    return this.startDoc.uid;
  }

  /** Emits a document of this run; after its stop only a warning (a late device callback). */
  emit(name: DocumentName, doc: Document): void {
    if (!this.isOpen && name !== "stop") {
      this.options.warn(
        `a "${name}" document of run ${this.uid} came after its stop and was dropped`,
      );
      return;
    }
    this.options.emit(name, doc);
  }

  /** The stop document; the run refuses documents afterwards. Returns the run's start uid. */
  closeRun(exitStatus: ExitStatus | null | undefined, reason: string | null | undefined): string {
    if (!this.isOpen) {
      throw new IllegalMessageSequence(
        `"close_run" for run ${this.uid}, which is already closed; after a pause and resume, put a checkpoint after close_run`,
      );
    }
    this.isOpen = false;
    this.monitors.clear();
    const stop = this.compose.composeStop({
      exit_status: exitStatus || "success",
      reason: reason ?? "",
    });
    this.emit("stop", stop);
    return stop.run_start;
  }

  /** Starts bundling readings into one event of stream `name`. */
  create(name: string): void {
    if (this.bundling) {
      throw new IllegalMessageSequence(
        `"create" of stream "${name}" while the event bundle of "${this.#bundleName}" is still open; close it with "save" or "drop" first`,
      );
    }
    if (this.options.requireStreamDeclaration && !this.streams.has(name)) {
      throw new IllegalMessageSequence(
        `"create" of stream "${name}", which was not declared; declare streams with "declare_stream" first`,
      );
    }
    this.#assetCache = [];
    this.#objsRead = [];
    this.#readCache = [];
    this.bundling = true;
    this.#bundleName = name;
    this.#current = this.streamCache(name);
  }

  /** The describe/configuration cache of a stream. */
  streamCache(name: string): StreamCache {
    let cache = this.#streamCaches.get(name);
    if (cache === undefined) {
      cache = new StreamCache();
      this.#streamCaches.set(name, cache);
    }
    return cache;
  }

  /** Adds a reading to the open bundle (nothing when not bundling); async only on first sight. */
  addReading(obj: object, reading: Readings): void | Promise<void> {
    if (!this.bundling) return;
    const cache = this.#current;
    if (cache.has(obj)) return this.#bundleReading(obj, reading, cache);
    return cache.ensure(obj).then(() => this.#bundleReading(obj, reading, cache));
  }

  #bundleReading(obj: object, reading: Readings, cache: StreamCache): void | Promise<void> {
    const keys = cache.describe.get(obj) ?? {};
    for (const other of this.#objsRead) {
      const known = cache.describe.get(other) ?? {};
      for (const key in keys) {
        if (key in known) {
          throw new Error(
            `data key "${key}" of "${objectName(obj)}" collides with the same key of "${objectName(other)}" in one event`,
          );
        }
      }
    }
    this.#objsRead.push(obj);
    this.#readCache.push(reading);
    const collectAssetDocs = (
      obj as { collectAssetDocs?: () => Iterable<AssetDoc> | AsyncIterable<AssetDoc> }
    ).collectAssetDocs;
    if (typeof collectAssetDocs !== "function") return;
    const docs = collectAssetDocs.call(obj);
    if (Symbol.iterator in docs) {
      for (const doc of docs as Iterable<AssetDoc>) this.#assetCache.push(doc);
      return;
    }
    return (async () => {
      for await (const doc of docs) this.#assetCache.push(doc);
    })();
  }

  /** Emits the bundled event (and its descriptor the first time, and asset documents first). */
  save(): void | Promise<void> {
    if (!this.bundling) {
      throw new IllegalMessageSequence(`"save" without an open event bundle; send "create" first`);
    }
    const name = this.#bundleName as string;
    this.bundling = false;
    this.#bundleName = undefined;
    if (this.#objsRead.length === 0) return;
    const stream = this.streams.get(name);
    if (stream === undefined) return this.#saveFirst(name);
    if (
      stream.objs.size !== this.#objsRead.length ||
      !this.#objsRead.every((o) => stream.objs.has(o))
    ) {
      throw new Error(
        `mismatched objects read into stream "${name}": expected ${[...stream.objs.keys()].map(objectName).join(", ")}, got ${this.#objsRead.map(objectName).join(", ")}`,
      );
    }
    this.#emitEvent(stream);
  }

  async #saveFirst(name: string): Promise<void> {
    const cache = this.streamCache(name);
    const objs = new Map<object, DataKeys>();
    for (const obj of this.#objsRead) {
      await cache.ensure(obj);
      objs.set(obj, cache.describe.get(obj) ?? {});
    }
    this.#emitEvent(this.prepareStream(name, objs));
  }

  #emitEvent(stream: StreamInfo): void {
    if (this.#assetCache.length > 0) {
      const width = packAssets(this, this.#assetCache, stream.name);
      this.#assetCache = [];
      if (width > 1) {
        throw new Error(
          `a stream_datum of stream "${stream.name}" spans ${width} rows in one read/save; one event holds one row`,
        );
      }
    }
    const data: Record<string, unknown> = {};
    const timestamps: Record<string, unknown> = {};
    for (const readings of this.#readCache) {
      for (const key in readings) {
        const r = readings[key];
        if (r === undefined) continue;
        data[key] = r.value;
        timestamps[key] = r.timestamp;
      }
    }
    let filled: Record<string, boolean> | undefined;
    if (stream.unfilledKeys.length > 0) {
      filled = {};
      for (const key of stream.unfilledKeys) filled[key] = false;
    }
    let event: ReturnType<ComposeDescriptorBundle["composeEvent"]>;
    try {
      event = stream.bundle.composeEvent({
        data,
        timestamps,
        filled,
        validate: this.options.validate,
      });
    } catch (err) {
      const devices = this.#objsRead.map((obj, i) => ({
        device: objectName(obj),
        described: Object.keys(stream.objs.get(obj) ?? {}),
        got: Object.keys(this.#readCache[i] ?? {}),
      }));
      throw explainKeyError(err, stream.name, devices, "read()", stream.streamKeys);
    }
    this.emit("event", event);
  }

  /** Discards the open bundle. */
  drop(): void {
    if (!this.bundling) {
      throw new IllegalMessageSequence(`"drop" without an open event bundle; send "create" first`);
    }
    this.bundling = false;
    this.#bundleName = undefined;
  }

  /** Composes and emits a (new) descriptor for stream `name` holding `objs`. */
  prepareStream(name: string, objs: Map<object, DataKeys>): StreamInfo {
    const cache = this.streamCache(name);
    const dataKeys: Record<string, DataKey> = {};
    const configuration: Record<string, Configuration> = {};
    const objectKeys: Record<string, string[]> = {};
    const objectClasses: Record<string, string> = {};
    const hints: Record<string, PerObjectHint> = {};
    for (const [obj, keys] of objs) {
      const objName = objectName(obj);
      const objHints = (obj as { hints?: unknown }).hints;
      if (objHints !== null && typeof objHints === "object")
        hints[objName] = objHints as PerObjectHint;
      objectKeys[objName] = Object.keys(keys);
      objectClasses[objName] = (obj as object).constructor?.name ?? "Object";
      for (const [key, dk] of Object.entries(keys)) dataKeys[key] = { ...dk, object_name: objName };
      const config = cache.config.get(obj) ?? { data: {}, timestamps: {}, data_keys: {} };
      configuration[objName] = {
        data: config.data,
        timestamps: config.timestamps,
        data_keys: config.data_keys,
      };
    }
    const bundle = this.compose.composeDescriptor({
      name,
      data_keys: dataKeys,
      configuration,
      hints,
      object_keys: objectKeys,
      object_classes: objectClasses,
    });
    const info: StreamInfo = {
      name,
      bundle,
      objs,
      unfilledKeys: Object.keys(dataKeys).filter((k) => {
        const ext = dataKeys[k]?.external;
        return ext !== undefined && ext !== "STREAM:";
      }),
      streamKeys: Object.keys(dataKeys).filter((k) => dataKeys[k]?.external === "STREAM:"),
    };
    this.streams.set(name, info);
    if (!this.#snapshot.has(name)) this.#snapshot.set(name, this.counters.get(name) ?? 1);
    this.emit("descriptor", bundle.descriptorDoc);
    return info;
  }

  /** Declares stream `name` for `objs` and emits its descriptor (`declare_stream`). */
  async declareStream(
    objs: readonly object[],
    name: string,
    collect: boolean,
  ): Promise<DeclaredStream> {
    const cache = this.streamCache(name);
    this.#current = cache;
    const described = new Map<object, DataKeys>();
    for (const obj of new Set(objs)) {
      await cache.ensure(obj, collect);
      if (collect) {
        const keys = await describeCollect(this, obj);
        const flat = flatCollectKeys(keys, name);
        described.set(obj, flat);
        cache.describe.set(obj, flat);
      } else {
        described.set(obj, cache.describe.get(obj) ?? {});
      }
    }
    const set = new Set(objs);
    const entry = this.declared.find((d) => sameSet(d.objs, set));
    if (entry) entry.names.push(name);
    else this.declared.push({ objs: set, names: [name] });
    const info = this.prepareStream(name, described);
    return [info.bundle.descriptorDoc, info.bundle.composeEvent, [...described.keys()]];
  }

  /** After `configure(obj)`: fresh configuration and a new descriptor for each stream with obj. */
  async reconfigured(obj: object): Promise<void> {
    for (const [name, stream] of [...this.streams]) {
      if (!stream.objs.has(obj)) continue;
      const cache = this.streamCache(name);
      await cache.refreshConfig(obj);
      this.prepareStream(name, stream.objs);
    }
  }

  /** Snapshots the seq_num counters (what a rewind goes back to). */
  resetCheckpointState(): void {
    for (const [name, counter] of this.counters) this.#snapshot.set(name, counter);
  }

  /** No rewinding past this point: the snapshots are dropped. */
  clearCheckpoint(): void {
    this.#snapshot.clear();
  }

  /** Goes back to the last checkpoint: counters of re-taken streams restored (re-done events reuse seq_nums), bundle dropped. */
  rewind(): void {
    for (const name of [...this.counters.keys()]) {
      // Interruptions and monitor updates are not re-taken: their streams keep counting.
      if (name === "interruptions" && this.#interruptions) continue;
      if (this.monitors.streams.has(name)) continue;
      this.counters.set(name, this.#snapshot.get(name) ?? 1);
    }
    this.bundling = false;
    this.#bundleName = undefined;
  }

  /** An event in the 'interruptions' stream (when recording interruptions). */
  recordInterruption(content: string): void {
    if (this.#interruptions === undefined || !this.isOpen) return;
    const now = Date.now() / 1000;
    const event = this.#interruptions.composeEvent({
      data: { interruption: content },
      timestamps: { interruption: now },
      validate: this.options.validate,
    });
    this.emit("event", event);
  }
}
