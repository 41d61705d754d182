import { bulkDatumToDatumPage, packDatumPage } from "./datum-pages.ts";
import type {
  DocumentCallback,
  DocumentMap,
  DocumentName,
  LegacyDocumentMap,
  LegacyDocumentName,
  NamedDocument,
} from "./documents.ts";
import {
  EventModelKeyError,
  EventModelTypeError,
  EventModelValueError,
  UndefinedAssetSpecification,
  UnresolvableForeignKeyError,
} from "./errors.ts";
import { Filler, type FillerOptions } from "./filler.ts";
import type { HandlerFactory, RegistryInit } from "./handler-registry.ts";
import { bulkEventsToEventPages, packEventPage } from "./pages.ts";
import type { Event, EventPage } from "./schemas/event.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";
import type { Datum, DatumPage, Resource } from "./schemas/resource.ts";
import type { RunStart } from "./schemas/run-start.ts";
import type { RunStop } from "./schemas/run-stop.ts";
import type { StreamDatum, StreamResource } from "./schemas/stream.ts";

/** Called once per run with its start: the run's callbacks and its per-descriptor subfactories. */
export type RunFactory = (name: "start", start: RunStart) => [DocumentCallback[], SubFactory[]];

/** Called once per descriptor of a run: callbacks for that descriptor's events only. */
export type SubFactory = (name: "descriptor", descriptor: EventDescriptor) => DocumentCallback[];

export interface RunRouterOptions {
  /** Handler factories by resource spec; when given, event pages are filled before delivery. */
  handlerRegistry?: RegistryInit<HandlerFactory>;
  /** Passed to each run's Filler: resource roots to replace. */
  rootMap?: Readonly<Record<string, string>>;
  /** Throw UndefinedAssetSpecification for an unknown spec instead of passing pages unfilled. */
  fillOrFail?: boolean;
  /** The Filler class made per run (default Filler; NoFiller to only check references). */
  fillerClass?: new (
    handlers: RegistryInit<HandlerFactory>,
    options: FillerOptions,
  ) => Filler;
  /** Further Filler options (retry delays...); `inplace` is always false. */
  fillerOptions?: Omit<FillerOptions, "inplace" | "rootMap">;
}

interface Run {
  start: RunStart;
  /** Callbacks from the factories: they see every document of the run. */
  callbacks: DocumentCallback[];
  subfactories: SubFactory[];
  /** Callbacks from the subfactories, per descriptor uid. */
  byDescriptor: Map<string, DocumentCallback[]>;
  filler: Filler | undefined;
  /** Uids pointing at this run, released at stop. */
  owned: { descriptors: string[]; resources: string[]; streamResources: string[] };
}

type Pending = Promise<void> | undefined;
const MAX_ORPHAN_RESOURCES = 10_000;
const noop = () => {};

/**
 * Routes a document stream (possibly interleaving runs) to callbacks made per run by factories,
 * and per descriptor by subfactories; everything of a run is released at its stop. Events and
 * datums are delivered as one-row pages (`event_page`, `datum_page`). With a handler registry,
 * event pages are filled (copies) first; filling is async, so documents queue behind a page
 * being filled, and order is always kept.
 *
 * Two ways to feed it: `await router.route(name, doc)` (the promise exists only while filling;
 * a fill or callback error rejects it), or `router.callback` for synchronous emitters: an async
 * failure is thrown by the next `callback` call and by `drain()`. Sync errors throw at once.
 */
export class RunRouter {
  /** Sync entry point for emitters; see the class notes for how async failures surface. */
  readonly callback: DocumentCallback;
  readonly #factories: readonly RunFactory[];
  readonly #options: RunRouterOptions;
  readonly #runs = new Map<string, Run>();
  readonly #runOfDescriptor = new Map<string, Run>();
  readonly #runOfResource = new Map<string, Run>();
  readonly #runOfStreamResource = new Map<string, Run>();
  /** Resources without run_start (pre-1.19.8 style): they may serve any run. */
  readonly #orphanResources = new Map<string, Resource>();
  #tail: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(factories: readonly RunFactory[], options: RunRouterOptions = {}) {
    this.#factories = [...factories];
    this.#options = options;
    this.callback = ((name: DocumentName, doc: DocumentMap[DocumentName]) => {
      if (this.#failure) throw this.#takeFailure();
      this.#enqueue(name, doc, true);
    }) as DocumentCallback;
  }

  /** Routes one document; returns a promise while it (or one queued before it) is being filled. */
  route<K extends DocumentName | LegacyDocumentName>(
    name: K,
    doc: (DocumentMap & LegacyDocumentMap)[K],
  ): Promise<void> | undefined {
    return this.#enqueue(name, doc, false);
  }

  /** Waits until every queued document has been delivered; rejects with a `callback` failure. */
  async drain(): Promise<void> {
    while (this.#tail) await this.#tail;
    if (this.#failure) throw this.#takeFailure();
  }

  /** The start uids of the runs not yet stopped. */
  get openRuns(): string[] {
    return [...this.#runs.keys()];
  }

  /**
   * Processes a document now, or after the queued ones. With `record`, an async failure is kept
   * for `callback`/`drain` to throw; otherwise the returned promise (unhandled here) reports it.
   */
  #enqueue(name: DocumentName | LegacyDocumentName, doc: unknown, record: boolean): Pending {
    const result = this.#tail
      ? this.#tail.then(() => this.#process(name, doc))
      : this.#process(name, doc);
    if (result === undefined) return undefined;
    // The queue's tail never rejects, so one failure does not block later documents.
    const settled = result.then(noop, (error: unknown) => {
      if (record) this.#failure ??= { error };
    });
    this.#tail = settled;
    settled.then(() => {
      if (this.#tail === settled) this.#tail = undefined;
    });
    return record ? undefined : result.then(noop);
  }

  #takeFailure(): unknown {
    const error = this.#failure?.error;
    this.#failure = undefined;
    return error;
  }

  #process(name: DocumentName | LegacyDocumentName, doc: unknown): Pending {
    switch (name) {
      case "start":
        return this.#start(doc as RunStart);
      case "descriptor":
        return this.#descriptor(doc as EventDescriptor);
      case "event":
        return this.#eventPage(packEventPage(doc as Event));
      case "event_page":
        return this.#eventPage(doc as EventPage);
      case "datum":
        return this.#datumPage(packDatumPage(doc as Datum));
      case "datum_page":
        return this.#datumPage(doc as DatumPage);
      case "resource":
        return this.#resource(doc as Resource);
      case "stream_resource":
        return this.#streamResource(doc as StreamResource);
      case "stream_datum":
        return this.#streamDatum(doc as StreamDatum);
      case "stop":
        return this.#stop(doc as RunStop);
      case "bulk_events":
        return sequence(bulkEventsToEventPages(doc as LegacyDocumentMap["bulk_events"]), (p) =>
          this.#eventPage(p),
        );
      case "bulk_datum":
        return this.#datumPage(bulkDatumToDatumPage(doc as LegacyDocumentMap["bulk_datum"]));
    }
    throw new EventModelKeyError(`RunRouter: unknown document name ${JSON.stringify(name)}`);
  }

  #start(start: RunStart): Pending {
    if (this.#runs.has(start.uid)) {
      throw new EventModelValueError(
        `RunRouter: a run with start uid ${start.uid} is already open; start uids must be unique`,
      );
    }
    const callbacks: DocumentCallback[] = [];
    const subfactories: SubFactory[] = [];
    this.#factories.forEach((factory, i) => {
      const made: unknown = factory("start", start);
      if (!Array.isArray(made) || made.length !== 2 || !made.every((m) => Array.isArray(m))) {
        throw new EventModelTypeError(
          `RunRouter: factory ${i} (${factory.name || "anonymous"}) must return [callbacks, subfactories] (two arrays), got ${JSON.stringify(made)}`,
        );
      }
      callbacks.push(...(made[0] as DocumentCallback[]));
      subfactories.push(...(made[1] as SubFactory[]));
    });
    const run: Run = {
      start,
      callbacks,
      subfactories,
      byDescriptor: new Map(),
      filler: this.#makeFiller(),
      owned: { descriptors: [], resources: [], streamResources: [] },
    };
    for (const resource of this.#orphanResources.values()) run.filler?.ingest("resource", resource);
    this.#runs.set(start.uid, run);
    for (const callback of callbacks) callback("start", start);
    return undefined;
  }

  #makeFiller(): Filler | undefined {
    const { handlerRegistry, fillOrFail, fillerClass = Filler } = this.#options;
    if (handlerRegistry === undefined && !fillOrFail) return undefined;
    return new fillerClass(handlerRegistry ?? {}, {
      ...this.#options.fillerOptions,
      rootMap: this.#options.rootMap ?? {},
      inplace: false,
    });
  }

  #descriptor(descriptor: EventDescriptor): Pending {
    const run = this.#runs.get(descriptor.run_start);
    if (run === undefined) {
      throw new UnresolvableForeignKeyError(
        descriptor.run_start,
        `RunRouter: descriptor ${descriptor.uid} refers to run_start ${descriptor.run_start}, which is not an open run (never started, or already stopped)`,
      );
    }
    // Bookkeeping first, so that it holds even when a callback below throws.
    this.#runOfDescriptor.set(descriptor.uid, run);
    run.owned.descriptors.push(descriptor.uid);
    run.filler?.ingest("descriptor", descriptor);
    for (const callback of run.callbacks) callback("descriptor", descriptor);
    for (const subfactory of run.subfactories) {
      const callbacks = subfactory("descriptor", descriptor);
      if (!Array.isArray(callbacks)) {
        throw new EventModelTypeError(
          `RunRouter: subfactory ${subfactory.name || "anonymous"} must return an array of callbacks, got ${JSON.stringify(callbacks)}`,
        );
      }
      const list = run.byDescriptor.get(descriptor.uid) ?? [];
      run.byDescriptor.set(descriptor.uid, list);
      for (const callback of callbacks) {
        list.push(callback);
        callback("start", run.start);
        callback("descriptor", descriptor);
      }
    }
    return undefined;
  }

  #eventPage(page: EventPage): Pending {
    const run = this.#runOfDescriptor.get(page.descriptor);
    if (run === undefined) {
      throw new UnresolvableForeignKeyError(
        page.descriptor,
        `RunRouter: event page refers to descriptor ${page.descriptor}, which is not a descriptor of an open run`,
      );
    }
    const deliver = (filled: EventPage) => {
      for (const callback of run.callbacks) callback("event_page", filled);
      for (const callback of run.byDescriptor.get(page.descriptor) ?? []) {
        callback("event_page", filled);
      }
    };
    const filler = run.filler;
    if (filler === undefined || !filler.needsFilling(page)) {
      deliver(page);
      return undefined;
    }
    return filler.fillEventPage(page).then(deliver, (error: unknown) => {
      if (!(error instanceof UndefinedAssetSpecification) || this.#options.fillOrFail) throw error;
      deliver(page);
    });
  }

  #datumPage(page: DatumPage): Pending {
    const run = this.#runOfResource.get(page.resource);
    const runs = run ? [run] : this.#orphanResources.has(page.resource) ? this.#runs.values() : [];
    let delivered = false;
    for (const target of runs) {
      target.filler?.ingest("datum_page", page);
      this.#toAll(target, ["datum_page", page]);
      delivered = true;
    }
    if (!delivered && !this.#orphanResources.has(page.resource)) {
      throw new UnresolvableForeignKeyError(
        page.resource,
        `RunRouter: datum page refers to resource ${page.resource}, which is not a resource of an open run`,
      );
    }
    return undefined;
  }

  #resource(resource: Resource): Pending {
    if (resource.run_start === undefined) {
      this.#orphanResources.set(resource.uid, resource);
      if (this.#orphanResources.size > MAX_ORPHAN_RESOURCES) {
        const oldest = this.#orphanResources.keys().next().value as string;
        this.#orphanResources.delete(oldest);
      }
      for (const run of this.#runs.values()) {
        run.filler?.ingest("resource", resource);
        this.#toAll(run, ["resource", resource]);
      }
      return undefined;
    }
    const run = this.#openRun(resource.run_start, `resource ${resource.uid}`);
    this.#runOfResource.set(resource.uid, run);
    run.owned.resources.push(resource.uid);
    run.filler?.ingest("resource", resource);
    this.#toAll(run, ["resource", resource]);
    return undefined;
  }

  #streamResource(sr: StreamResource): Pending {
    if (sr.run_start === undefined) {
      throw new EventModelValueError(
        `RunRouter: stream_resource ${sr.uid} has no run_start, so its run cannot be found`,
      );
    }
    const run = this.#openRun(sr.run_start, `stream_resource ${sr.uid}`);
    this.#runOfStreamResource.set(sr.uid, run);
    run.owned.streamResources.push(sr.uid);
    run.filler?.ingest("stream_resource", sr);
    this.#toAll(run, ["stream_resource", sr]);
    return undefined;
  }

  #streamDatum(sd: StreamDatum): Pending {
    const run =
      this.#runOfStreamResource.get(sd.stream_resource) ?? this.#runOfDescriptor.get(sd.descriptor);
    if (run === undefined) {
      throw new UnresolvableForeignKeyError(
        sd.stream_resource,
        `RunRouter: stream datum ${sd.uid} refers to stream_resource ${sd.stream_resource} and descriptor ${sd.descriptor}, neither of an open run`,
      );
    }
    this.#toAll(run, ["stream_datum", sd]);
    return undefined;
  }

  #stop(stop: RunStop): Pending {
    const run = this.#openRun(stop.run_start, `stop ${stop.uid}`);
    try {
      this.#toAll(run, ["stop", stop]);
    } finally {
      this.#runs.delete(stop.run_start);
      for (const uid of run.owned.descriptors) this.#runOfDescriptor.delete(uid);
      for (const uid of run.owned.resources) this.#runOfResource.delete(uid);
      for (const uid of run.owned.streamResources) this.#runOfStreamResource.delete(uid);
      run.filler?.close();
    }
    return undefined;
  }

  #openRun(runStart: string, what: string): Run {
    const run = this.#runs.get(runStart);
    if (run === undefined) {
      throw new UnresolvableForeignKeyError(
        runStart,
        `RunRouter: ${what} refers to run_start ${runStart}, which is not an open run (never started, or already stopped)`,
      );
    }
    return run;
  }

  /** Sends a document to every callback of the run: the factories' and all subfactories'. */
  #toAll(run: Run, [name, doc]: NamedDocument): void {
    for (const callback of run.callbacks) callback(name, doc as never);
    for (const callbacks of run.byDescriptor.values()) {
      for (const callback of callbacks) callback(name, doc as never);
    }
  }
}

/** Runs `step` over `items` in order, waiting for any step that returns a promise. */
function sequence<T>(items: readonly T[], step: (item: T) => Pending): Pending {
  for (let i = 0; i < items.length; i++) {
    const pending = step(items[i]!);
    if (pending) return pending.then(() => sequence(items.slice(i + 1), step));
  }
  return undefined;
}
