import { InvalidData, UndefinedAssetSpecification, UnresolvableForeignKeyError } from "./errors.ts";
import { checkedHandler, listOf, mapUri } from "./fill-support.ts";
import {
  HandlerRegistry,
  type RegistryInit,
  type StreamHandler,
  type StreamHandlerFactory,
} from "./handler-registry.ts";
import { withRetries } from "./retry.ts";
import type { StreamDatum, StreamResource } from "./schemas/stream.ts";

export interface StreamReaderOptions {
  rootMap: Readonly<Record<string, string>>;
  retryDelaysMs: readonly number[];
  isRetryable: (error: unknown) => boolean;
}

/**
 * Reads the rows a stream datum points to, through stream handlers registered per stream
 * resource mimetype (one handler per stream resource, cached). Used by Filler.fillStreamDatum.
 */
export class StreamReader {
  readonly registry: HandlerRegistry<StreamHandlerFactory>;
  readonly #options: StreamReaderOptions;
  readonly #streamResources = new Map<string, StreamResource>();
  readonly #handlers = new Map<string, Promise<StreamHandler>>();

  constructor(handlers: RegistryInit<StreamHandlerFactory>, options: StreamReaderOptions) {
    this.registry = new HandlerRegistry(handlers, "stream handler");
    this.#options = options;
  }

  ingest(streamResource: StreamResource): void {
    this.#streamResources.set(streamResource.uid, streamResource);
  }

  /** The stream resource of a stream datum; UnresolvableForeignKeyError when unseen. */
  resolve(streamDatum: StreamDatum): StreamResource {
    const sr = this.#streamResources.get(streamDatum.stream_resource);
    if (sr === undefined) {
      throw new UnresolvableForeignKeyError(
        streamDatum.stream_resource,
        `stream_resource ${streamDatum.stream_resource} of stream datum ${streamDatum.uid} has not been seen by this Filler; it must come before its stream datums`,
      );
    }
    return sr;
  }

  /** `{[data_key]: rows}` for the rows [indices.start, indices.stop) of the stream datum. */
  async read(streamDatum: StreamDatum): Promise<Record<string, ArrayLike<unknown>>> {
    const sr = this.resolve(streamDatum);
    const factory = this.registry.get(sr.mimetype);
    if (factory === undefined) {
      throw new UndefinedAssetSpecification(
        `no stream handler is registered for mimetype "${sr.mimetype}" (stream_resource ${sr.uid}, data key "${sr.data_key}"); registered: ${listOf(this.registry.keys())}`,
      );
    }
    const { start, stop } = streamDatum.indices;
    const rows = await withRetries(
      async () => (await this.#handler(sr, factory))(streamDatum.indices, streamDatum),
      this.#options.retryDelaysMs,
      this.#options.isRetryable,
      () => `reading rows [${start}, ${stop}) of ${sr.uri} (stream datum ${streamDatum.uid})`,
    );
    if (rows === null || typeof rows !== "object" || rows.length !== stop - start) {
      throw new InvalidData(
        `the stream handler for "${sr.mimetype}" returned ${rows?.length ?? String(rows)} rows for stream datum ${streamDatum.uid}; its indices [${start}, ${stop}) ask for ${stop - start}`,
      );
    }
    return { [sr.data_key]: rows };
  }

  get cachedHandlers(): number {
    return this.#handlers.size;
  }

  get cachedStreamResources(): number {
    return this.#streamResources.size;
  }

  clearHandlers(): void {
    this.#handlers.clear();
  }

  clearDocuments(): void {
    this.#streamResources.clear();
  }

  #handler(sr: StreamResource, factory: StreamHandlerFactory): Promise<StreamHandler> {
    const cached = this.#handlers.get(sr.uid);
    if (cached) return cached;
    const uri = mapUri(sr.uri, this.#options.rootMap);
    const handler = Promise.resolve(factory(uri, sr.parameters, sr)).then((h) =>
      checkedHandler(h, sr.mimetype),
    );
    this.#handlers.set(sr.uid, handler);
    // A failed open is not cached, so the next attempt opens again.
    handler.catch(() => this.#handlers.delete(sr.uid));
    return handler;
  }
}
