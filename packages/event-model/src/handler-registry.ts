// The handlers a Filler uses to load external data, and the registry that maps a resource spec
// (or a stream resource mimetype) to the factory that opens such a resource.
import { DuplicateHandler, EventModelTypeError } from "./errors.ts";
import type { Resource } from "./schemas/resource.ts";
import type { StreamDatum, StreamRange, StreamResource } from "./schemas/stream.ts";

/** Reads the data of one datum, given its `datum_kwargs`; may return a promise. */
export type Handler = (datumKwargs: Record<string, unknown>) => unknown;

/**
 * Opens a resource: called with the full path (root after root_map, joined with resource_path)
 * and the resource_kwargs; returns (or resolves to) the Handler that reads its datums.
 */
export type HandlerFactory = (
  path: string,
  resourceKwargs: Record<string, unknown>,
  resource: Resource,
) => Handler | Promise<Handler>;

/**
 * Reads rows [indices.start, indices.stop) of a stream resource for one stream datum; the
 * result must have one entry per row (an array, a typed array...).
 */
export type StreamHandler = (
  indices: StreamRange,
  streamDatum: StreamDatum,
) => ArrayLike<unknown> | Promise<ArrayLike<unknown>>;

/**
 * Opens a stream resource: called with its URI (after root_map) and parameters; returns (or
 * resolves to) the StreamHandler reading its rows. Registered per mimetype.
 */
export type StreamHandlerFactory = (
  uri: string,
  parameters: Record<string, unknown>,
  streamResource: StreamResource,
) => StreamHandler | Promise<StreamHandler>;

/** Registry contents as given by users: an object or any `[key, factory]` iterable. */
export type RegistryInit<F> = Readonly<Record<string, F>> | Iterable<readonly [string, F]>;

/** A Map whose mutating methods throw EventModelTypeError: the registry as seen from outside. */
class ReadonlyRegistryView<F> extends Map<string, F> {
  readonly #what: string;
  constructor(entries: Iterable<readonly [string, F]>, what: string) {
    super();
    this.#what = what;
    for (const [key, factory] of entries) super.set(key, factory);
  }
  #refuse(): never {
    throw new EventModelTypeError(
      `the ${this.#what} registry view is read-only; register and deregister through the Filler`,
    );
  }
  override set(_key: string, _value: F): this {
    return this.#refuse();
  }
  override delete(_key: string): boolean {
    return this.#refuse();
  }
  override clear(): void {
    this.#refuse();
  }
}

/**
 * Factories keyed by resource spec (or mimetype). Registering the same factory again is a no-op;
 * a different one throws DuplicateHandler unless `overwrite` is set.
 */
export class HandlerRegistry<F> {
  readonly #factories = new Map<string, F>();
  /** "handler" or "stream handler", for messages. */
  readonly what: string;

  constructor(init: RegistryInit<F> = {}, what = "handler") {
    this.what = what;
    for (const [key, factory] of entriesOf(init)) this.register(key, factory);
  }

  /** Adds `factory` for `key`; returns true when the registry changed. */
  register(key: string, factory: F, overwrite = false): boolean {
    if (typeof factory !== "function") {
      throw new EventModelTypeError(
        `${this.what} for ${JSON.stringify(key)} must be a function, got ${typeof factory}`,
      );
    }
    const existing = this.#factories.get(key);
    if (existing === factory) return false;
    if (existing !== undefined && !overwrite) {
      throw new DuplicateHandler(
        `a different ${this.what} is already registered for ${JSON.stringify(key)}; pass overwrite to replace it`,
      );
    }
    this.#factories.set(key, factory);
    return true;
  }

  /** Removes and returns the factory of `key` (undefined when none). */
  deregister(key: string): F | undefined {
    const factory = this.#factories.get(key);
    this.#factories.delete(key);
    return factory;
  }

  get(key: string): F | undefined {
    return this.#factories.get(key);
  }

  keys(): string[] {
    return [...this.#factories.keys()];
  }

  /** A read-only snapshot; its set/delete/clear throw EventModelTypeError. */
  view(): ReadonlyMap<string, F> {
    return new ReadonlyRegistryView(this.#factories, this.what);
  }

  /** The `[key, factory]` pairs, for copying into another registry. */
  entries(): [string, F][] {
    return [...this.#factories];
  }
}

function entriesOf<F>(init: RegistryInit<F>): Iterable<readonly [string, F]> {
  if (Symbol.iterator in init) return init as Iterable<readonly [string, F]>;
  return Object.entries(init as Record<string, F>);
}
