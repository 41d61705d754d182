import { posix, win32 } from "node:path";
import { unpackDatumPage } from "./datum-pages.ts";
import type { DocumentMap, DocumentName } from "./documents.ts";
import {
  EventModelRuntimeError,
  EventModelValueError,
  UndefinedAssetSpecification,
  UnresolvableForeignKeyError,
} from "./errors.ts";
import {
  checkedHandler,
  checkIncludeExclude,
  copyEvent,
  copyPage,
  datumIdOf,
  keysToFill,
  listOf,
} from "./fill-support.ts";
import {
  type Handler,
  type HandlerFactory,
  HandlerRegistry,
  type RegistryInit,
  type StreamHandlerFactory,
} from "./handler-registry.ts";
import { setOwn } from "./own-property.ts";
import { isIoError, normalizeRetryDelays, withRetries } from "./retry.ts";
import type { Event, EventPage } from "./schemas/event.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";
import type { Datum, DatumPage, Resource } from "./schemas/resource.ts";
import type { StreamDatum, StreamResource } from "./schemas/stream.ts";
import { StreamReader } from "./stream-reader.ts";

/** Which keys to fill and whether to change the given document. */
export interface FillOptions {
  /** Fill the given document (true) or return a filled copy, leaving it untouched (false). */
  inplace?: boolean;
  /** Fill only these data keys. */
  include?: readonly string[];
  /** Fill every key except these. */
  exclude?: readonly string[];
}

/** What `coerce` is told about the value it receives. */
export interface CoerceContext {
  key: string;
  datum: Datum;
  resource: Resource;
}

export interface FillerOptions extends FillOptions {
  /** Stream handler factories by stream_resource mimetype, for `fillStreamDatum`. */
  streamHandlers?: RegistryInit<StreamHandlerFactory>;
  /** Replaces a resource's `root` (and a stream resource's file URI prefix) when found here. */
  rootMap?: Readonly<Record<string, string>>;
  /** Waits between attempts, in ms; default 1, 2, 4 ... 1024. null or [] mean one attempt. */
  retryDelaysMs?: readonly number[] | null;
  /** Which handler errors are worth retrying; default Node system errors (with a `code`). */
  isRetryable?: (error: unknown) => boolean;
  /** Applied to every loaded value (e.g. to make typed arrays); default: as is. */
  coerce?: (value: unknown, context: CoerceContext) => unknown;
}

/** Returned by `loadDatum` to leave a value as it is (NoFiller). */
export const LEAVE_UNFILLED: unique symbol = Symbol("event-model.LEAVE_UNFILLED");

/**
 * Replaces datum_ids in events and event pages with the data they point to, through handlers
 * registered per resource spec. Handlers may do I/O, so filling is async: `await
 * filler.fillEventPage(page)`. Feed it the run's descriptor, resource and datum documents first
 * (`ingest`, sync, or `route`). It copies unless `inplace` is set (default false). Stream data is
 * read by an explicit `fillStreamDatum(streamDatum)`, through handlers registered per mimetype.
 *
 * @example
 * const filler = new Filler({ AD_TIFF: (path) => (kwargs) => readFrame(path, kwargs) });
 * for await (const [name, doc] of readDocuments("run.jsonl")) {
 *   const [, filled] = await filler.route(name, doc);
 * }
 */
export class Filler {
  readonly inplace: boolean;
  readonly rootMap: Readonly<Record<string, string>>;
  readonly retryDelaysMs: readonly number[];
  readonly #options: FillerOptions;
  readonly #handlers: HandlerRegistry<HandlerFactory>;
  /** The stream resources and stream handlers, for fillStreamDatum. */
  protected readonly streams: StreamReader;
  readonly #descriptors = new Map<string, EventDescriptor>();
  readonly #resources = new Map<string, Resource>();
  readonly #datums = new Map<string, Datum>();
  readonly #handlerCache = new Map<string, { spec: string; handler: Promise<Handler> }>();
  #closed = false;

  constructor(handlers: RegistryInit<HandlerFactory> = {}, options: FillerOptions = {}) {
    checkIncludeExclude(options);
    this.#options = options;
    this.#handlers = new HandlerRegistry(handlers, "handler");
    this.inplace = options.inplace ?? false;
    this.rootMap = { ...options.rootMap };
    this.retryDelaysMs = normalizeRetryDelays(options.retryDelaysMs);
    this.streams = new StreamReader(options.streamHandlers ?? {}, {
      rootMap: this.rootMap,
      retryDelaysMs: this.retryDelaysMs,
      isRetryable: options.isRetryable ?? isIoError,
    });
  }

  /** Feeds a document; fills events and event pages (see FillOptions), caches the others. */
  async route<K extends DocumentName>(name: K, doc: DocumentMap[K]): Promise<[K, DocumentMap[K]]> {
    this.#assertOpen(`route("${name}")`);
    if (name === "event") return [name, (await this.fillEvent(doc as Event)) as DocumentMap[K]];
    if (name === "event_page") {
      return [name, (await this.fillEventPage(doc as EventPage)) as DocumentMap[K]];
    }
    this.ingest(name, doc);
    return [name, doc];
  }

  /** Caches descriptor, resource, datum, datum_page and stream_resource documents (sync). */
  ingest<K extends DocumentName>(name: K, doc: DocumentMap[K]): void {
    this.#assertOpen(`ingest("${name}")`);
    switch (name) {
      case "descriptor":
        this.#descriptors.set((doc as EventDescriptor).uid, doc as EventDescriptor);
        break;
      case "resource":
        this.#resources.set((doc as Resource).uid, doc as Resource);
        break;
      case "datum":
        this.#datums.set((doc as Datum).datum_id, doc as Datum);
        break;
      case "datum_page":
        for (const datum of unpackDatumPage(doc as DatumPage))
          this.#datums.set(datum.datum_id, datum);
        break;
      case "stream_resource":
        this.streams.ingest(doc as StreamResource);
        break;
    }
  }

  /** True when some data key of the event or page still holds datum_ids to load. */
  needsFilling(doc: Event | EventPage, options: FillOptions = {}): boolean {
    return this.#keysToFill(doc, options).length > 0;
  }

  /** Fills an event's external data keys; throws the errors listed on `loadDatum`. */
  async fillEvent(event: Event, options: FillOptions = {}): Promise<Event> {
    this.#assertOpen("fillEvent");
    const keys = this.#keysToFill(event, options);
    const target = (options.inplace ?? this.inplace) ? event : copyEvent(event);
    for (const key of keys) {
      const datumId = datumIdOf(target.data, key, `event ${event.uid}`);
      const value = await this.loadDatum(datumId, key);
      if (value === LEAVE_UNFILLED) continue;
      setOwn(target.data, key, value);
      target.filled ??= {};
      setOwn(target.filled, key, datumId);
    }
    return target;
  }

  /** Fills every unfilled row of an event page's external data keys, in row order. */
  async fillEventPage(page: EventPage, options: FillOptions = {}): Promise<EventPage> {
    this.#assertOpen("fillEventPage");
    const keys = this.#keysToFill(page, options);
    const target = (options.inplace ?? this.inplace) ? page : copyPage(page);
    const rows = page.uid.length;
    for (const key of keys) {
      const where = `event page of descriptor ${page.descriptor}`;
      const column = target.data[key];
      if (column === undefined) datumIdOf(target.data, key, where);
      if (!Array.isArray(column) || column.length !== rows) {
        throw new EventModelValueError(`${where}: data["${key}"] must be an array of ${rows} rows`);
      }
      const filledColumn = target.filled?.[key];
      let data: unknown[] | undefined;
      let filled: (boolean | string)[] | undefined;
      for (let i = 0; i < rows; i++) {
        if (filledColumn?.[i]) continue;
        const datumId = datumIdOf(column, i, `${where}, data["${key}"]`);
        const value = await this.loadDatum(datumId, key);
        if (value === LEAVE_UNFILLED) continue;
        data ??= column.slice();
        filled ??= filledColumn ? filledColumn.slice() : new Array<boolean>(rows).fill(false);
        data[i] = value;
        filled[i] = datumId;
      }
      if (data && filled) {
        setOwn(target.data, key, data);
        target.filled ??= {};
        setOwn(target.filled, key, filled);
      }
    }
    return target;
  }

  /**
   * Reads the rows of a stream datum through the stream handler of its stream resource's
   * mimetype: `{[stream_resource.data_key]: rows}`, one entry per row of `indices`.
   */
  async fillStreamDatum(streamDatum: StreamDatum): Promise<Record<string, ArrayLike<unknown>>> {
    this.#assertOpen("fillStreamDatum");
    return this.streams.read(streamDatum);
  }

  /**
   * Loads the data of one datum. Throws UnresolvableForeignKeyError for an unseen datum or
   * resource, UndefinedAssetSpecification for an unregistered spec, and DataNotAccessible when
   * the handler keeps failing with retryable errors.
   */
  protected async loadDatum(datumId: string, key: string): Promise<unknown> {
    const { datum, resource } = this.resolveDatum(datumId, key);
    const factory = this.#handlers.get(resource.spec);
    if (factory === undefined) {
      throw new UndefinedAssetSpecification(
        `no handler is registered for resource spec "${resource.spec}" (resource ${resource.uid}, needed for data key "${key}"); registered specs: ${listOf(this.#handlers.keys())}`,
      );
    }
    const value = await withRetries(
      async () => (await this.#cachedHandler(resource, factory))(datum.datum_kwargs),
      this.retryDelaysMs,
      this.#options.isRetryable ?? isIoError,
      () =>
        `reading datum "${datumId}" of resource ${resource.uid} (spec "${resource.spec}", ${this.resourcePath(resource)})`,
    );
    return this.#options.coerce ? this.#options.coerce(value, { key, datum, resource }) : value;
  }

  /** The datum and resource a datum_id refers to; UnresolvableForeignKeyError when unseen. */
  protected resolveDatum(datumId: string, key: string): { datum: Datum; resource: Resource } {
    const datum = this.#datums.get(datumId);
    if (datum === undefined) {
      throw new UnresolvableForeignKeyError(
        datumId,
        `datum "${datumId}" (data key "${key}") has not been seen by this Filler; its datum or datum_page must come before the event that uses it`,
      );
    }
    const resource = this.#resources.get(datum.resource);
    if (resource === undefined) {
      throw new UnresolvableForeignKeyError(
        datum.resource,
        `resource ${datum.resource} of datum "${datumId}" has not been seen by this Filler; a resource must come before its datums`,
      );
    }
    return { datum, resource };
  }

  /** The full path a resource's handler opens: root (after rootMap) joined with resource_path. */
  resourcePath(resource: Resource): string {
    const root = this.rootMap[resource.root] ?? resource.root;
    const path = resource.path_semantics === "windows" ? win32 : posix;
    return root ? path.join(root, resource.resource_path) : resource.resource_path;
  }

  /** A new handler for `resource` (not cached); UndefinedAssetSpecification for an unknown spec. */
  async getHandler(resource: Resource): Promise<Handler> {
    this.#assertOpen("getHandler");
    const factory = this.#handlers.get(resource.spec);
    if (factory === undefined) {
      throw new UndefinedAssetSpecification(
        `no handler is registered for resource spec "${resource.spec}" (resource ${resource.uid}); registered specs: ${listOf(this.#handlers.keys())}`,
      );
    }
    return checkedHandler(
      await factory(this.resourcePath(resource), resource.resource_kwargs, resource),
      resource.spec,
    );
  }

  /** Adds a handler factory for `spec`; DuplicateHandler if another is registered, unless `overwrite`. */
  registerHandler(
    spec: string,
    factory: HandlerFactory,
    options: { overwrite?: boolean } = {},
  ): void {
    if (this.#handlers.register(spec, factory, options.overwrite)) this.#purgeHandlers(spec);
  }

  /** Removes and returns the factory of `spec`, dropping its cached handlers. */
  deregisterHandler(spec: string): HandlerFactory | undefined {
    this.#purgeHandlers(spec);
    return this.#handlers.deregister(spec);
  }

  registerStreamHandler(
    mimetype: string,
    factory: StreamHandlerFactory,
    options: { overwrite?: boolean } = {},
  ): void {
    if (this.streams.registry.register(mimetype, factory, options.overwrite)) {
      this.streams.clearHandlers();
    }
  }

  deregisterStreamHandler(mimetype: string): StreamHandlerFactory | undefined {
    this.streams.clearHandlers();
    return this.streams.registry.deregister(mimetype);
  }

  /** The registered handler factories by spec (a read-only snapshot). */
  get handlerRegistry(): ReadonlyMap<string, HandlerFactory> {
    return this.#handlers.view();
  }

  get streamHandlerRegistry(): ReadonlyMap<string, StreamHandlerFactory> {
    return this.streams.registry.view();
  }

  /** How many documents and handlers are cached (for tests and monitoring). */
  cacheSizes(): {
    descriptors: number;
    resources: number;
    datums: number;
    streamResources: number;
    handlers: number;
  } {
    return {
      descriptors: this.#descriptors.size,
      resources: this.#resources.size,
      datums: this.#datums.size,
      streamResources: this.streams.cachedStreamResources,
      handlers: this.#handlerCache.size + this.streams.cachedHandlers,
    };
  }

  clearHandlerCache(): void {
    this.#handlerCache.clear();
    this.streams.clearHandlers();
  }

  clearDocumentCaches(): void {
    this.#descriptors.clear();
    this.#resources.clear();
    this.#datums.clear();
    this.streams.clearDocuments();
  }

  /** A Filler with the same handlers and settings (overridable) and empty caches. */
  clone(overrides: FillerOptions = {}): Filler {
    const Class = this.constructor as new (
      h: RegistryInit<HandlerFactory>,
      o: FillerOptions,
    ) => Filler;
    return new Class(this.#handlers.entries(), {
      ...this.#options,
      streamHandlers: this.streams.registry.entries(),
      ...overrides,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Drops every cache; any later use throws EventModelRuntimeError. */
  close(): void {
    this.#closed = true;
    this.clearHandlerCache();
    this.clearDocumentCaches();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new EventModelRuntimeError(`${what}: this Filler has been closed`);
  }

  #keysToFill(doc: Event | EventPage, options: FillOptions): string[] {
    checkIncludeExclude(options);
    return keysToFill(
      doc,
      options.include ?? this.#options.include,
      options.exclude ?? this.#options.exclude,
      (uid) => this.#descriptors.get(uid),
    );
  }

  #cachedHandler(resource: Resource, factory: HandlerFactory): Promise<Handler> {
    const cacheKey = `${resource.uid}\u0000${resource.spec}`;
    const cached = this.#handlerCache.get(cacheKey);
    if (cached) return cached.handler;
    const handler = Promise.resolve(
      factory(this.resourcePath(resource), resource.resource_kwargs, resource),
    ).then((h) => checkedHandler(h, resource.spec));
    this.#handlerCache.set(cacheKey, { spec: resource.spec, handler });
    // A failed open is not cached, so the next attempt opens again.
    handler.catch(() => this.#handlerCache.delete(cacheKey));
    return handler;
  }

  #purgeHandlers(spec: string): void {
    for (const [key, entry] of this.#handlerCache) {
      if (entry.spec === spec) this.#handlerCache.delete(key);
    }
  }
}
