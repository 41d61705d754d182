import { bulkDatumToDatumPage, packDatumPage, unpackDatumPage } from "./datum-pages.ts";
import type {
  DocumentCallback,
  DocumentMap,
  DocumentName,
  LegacyDocumentMap,
  LegacyDocumentName,
  NamedDocument,
} from "./documents.ts";
import { isDocumentName } from "./documents.ts";
import { EventModelKeyError, EventModelValueError } from "./errors.ts";
import { bulkEventsToEventPages, packEventPage, unpackEventPage } from "./pages.ts";
import type { Event, EventPage } from "./schemas/event.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";
import type { Datum, DatumPage, Resource } from "./schemas/resource.ts";
import type { RunStart } from "./schemas/run-start.ts";
import type { RunStop } from "./schemas/run-stop.ts";
import type { StreamDatum, StreamResource } from "./schemas/stream.ts";
import { validateDocument } from "./validate.ts";

/** Returned by a DocumentRouter method that does not handle its document (the default). */
export const NOT_IMPLEMENTED: unique symbol = Symbol("event-model.NOT_IMPLEMENTED");
export type NotImplemented = typeof NOT_IMPLEMENTED;

/**
 * What a router method returns: a document to pass on (the input, a copy or a new one), nothing
 * (the input passes through unchanged) or NOT_IMPLEMENTED (try the other form, see DocumentRouter).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets subclass methods simply not return.
export type RouterResult<T> = T | null | undefined | void | NotImplemented;

type AnyName = DocumentName | LegacyDocumentName;
type AnyMap = DocumentMap & LegacyDocumentMap;

export interface DocumentRouterOptions {
  /** Called by `emit(name, doc)`; must declare exactly two parameters `(name, doc)`. */
  emit?: DocumentCallback;
  /** Validate every outgoing document against its schema (default false). */
  validate?: boolean;
}

export interface RouteOptions {
  /** Overrides the router's `validate` option for this call. */
  validate?: boolean;
}

/**
 * Dispatches documents to the method named after them (`start`, `event_page`...). Subclasses
 * override the methods they handle. When `event` is not implemented, an event is packed into a
 * one-row page for `event_page`, and when `event_page` is not implemented a page is unpacked
 * into `event` calls (giving up at the first NOT_IMPLEMENTED); `datum`/`datum_page` likewise.
 * The deprecated bulk_events/bulk_datum are converted to pages.
 *
 * @example
 * class Counter extends DocumentRouter { n = 0; override event(doc: Event) { this.n++; } }
 * const counter = new Counter();
 * engine.subscribe(counter.callback);
 */
export class DocumentRouter {
  readonly validate: boolean;
  /** `route` bound to this router, for APIs that take a `(name, doc)` callback. */
  readonly callback: DocumentCallback;
  readonly #emit: DocumentCallback | undefined;

  constructor(options: DocumentRouterOptions = {}) {
    this.validate = options.validate ?? false;
    const emit: unknown = options.emit;
    if (emit !== undefined) {
      if (typeof emit !== "function") {
        throw new EventModelValueError(
          `DocumentRouter: emit must be a function (name, doc) => void, got ${typeof emit}`,
        );
      }
      if (emit.length !== 2) {
        throw new EventModelValueError(
          `DocumentRouter: emit must declare exactly two parameters (name, doc); the function given declares ${emit.length}`,
        );
      }
    }
    this.#emit = options.emit;
    this.callback = ((name: AnyName, doc: AnyMap[AnyName]) => {
      this.route(name, doc);
    }) as DocumentCallback;
  }

  /** Sends `[name, doc]` to the `emit` callback given at construction, if any. */
  emit(...args: NamedDocument): void {
    this.#emit?.(...args);
  }

  /**
   * Calls the method named `name` and returns `[name, outgoing document]`. Throws
   * EventModelKeyError for an unknown name, and EventModelValidationError when validating and
   * the outgoing document is invalid.
   */
  route<K extends AnyName>(name: K, doc: AnyMap[K], options: RouteOptions = {}): [K, AnyMap[K]] {
    const out = this.#dispatch(name, doc);
    if (options.validate ?? this.validate) validateDocument(name, out);
    return [name, out as AnyMap[K]];
  }

  #dispatch(name: AnyName, doc: unknown): unknown {
    switch (name) {
      case "event":
        return this.#routeEvent(doc as Event);
      case "event_page":
        return this.#routeEventPage(doc as EventPage);
      case "datum":
        return this.#routeDatum(doc as Datum);
      case "datum_page":
        return this.#routeDatumPage(doc as DatumPage);
      case "bulk_events":
        for (const page of bulkEventsToEventPages(doc as LegacyDocumentMap["bulk_events"])) {
          this.#routeEventPage(page);
        }
        return doc;
      case "bulk_datum":
        this.#routeDatumPage(bulkDatumToDatumPage(doc as LegacyDocumentMap["bulk_datum"]));
        return doc;
    }
    if (!isDocumentName(name)) {
      throw new EventModelKeyError(
        `DocumentRouter: unknown document name ${JSON.stringify(name)}; expected start, descriptor, event, event_page, stop, resource, datum, datum_page, stream_resource or stream_datum`,
      );
    }
    const method = this[name] as (doc: unknown) => unknown;
    return passOn(method.call(this, doc), doc);
  }

  #routeEvent(event: Event): unknown {
    return routeOne(this.#events, event);
  }

  #routeEventPage(page: EventPage): unknown {
    return routePage(this.#events, page);
  }

  #routeDatum(datum: Datum): unknown {
    return routeOne(this.#datums, datum);
  }

  #routeDatumPage(page: DatumPage): unknown {
    return routePage(this.#datums, page);
  }

  readonly #events: PagedForms<Event, EventPage> = {
    one: (event) => this.event(event),
    page: (page) => this.event_page(page),
    pack: packEventPage,
    unpack: unpackEventPage,
  };

  readonly #datums: PagedForms<Datum, DatumPage> = {
    one: (datum) => this.datum(datum),
    page: (page) => this.datum_page(page),
    pack: packDatumPage,
    unpack: unpackDatumPage,
  };

  start(_doc: RunStart): RouterResult<RunStart> {
    return NOT_IMPLEMENTED;
  }
  descriptor(_doc: EventDescriptor): RouterResult<EventDescriptor> {
    return NOT_IMPLEMENTED;
  }
  event(_doc: Event): RouterResult<Event> {
    return NOT_IMPLEMENTED;
  }
  event_page(_doc: EventPage): RouterResult<EventPage> {
    return NOT_IMPLEMENTED;
  }
  stop(_doc: RunStop): RouterResult<RunStop> {
    return NOT_IMPLEMENTED;
  }
  resource(_doc: Resource): RouterResult<Resource> {
    return NOT_IMPLEMENTED;
  }
  datum(_doc: Datum): RouterResult<Datum> {
    return NOT_IMPLEMENTED;
  }
  datum_page(_doc: DatumPage): RouterResult<DatumPage> {
    return NOT_IMPLEMENTED;
  }
  stream_resource(_doc: StreamResource): RouterResult<StreamResource> {
    return NOT_IMPLEMENTED;
  }
  stream_datum(_doc: StreamDatum): RouterResult<StreamDatum> {
    return NOT_IMPLEMENTED;
  }
}

/** A method's result, or the input when it returned nothing or NOT_IMPLEMENTED. */
function passOn(result: unknown, input: unknown): unknown {
  return result === undefined || result === null || result === NOT_IMPLEMENTED ? input : result;
}

/** A document that also comes in pages (event/event_page, datum/datum_page), and its handlers. */
interface PagedForms<One, Page> {
  one(doc: One): unknown;
  page(page: Page): unknown;
  pack(docs: readonly One[]): Page;
  unpack(page: Page): One[];
}

/** One document to a router: its own method, else its page method on a page of one. */
function routeOne<One, Page>(forms: PagedForms<One, Page>, doc: One): unknown {
  const result = forms.one(doc);
  if (result !== NOT_IMPLEMENTED) return passOn(result, doc);
  const page = forms.pack([doc]);
  const pageResult = forms.page(page);
  if (pageResult === NOT_IMPLEMENTED) return doc;
  return forms.unpack(passOn(pageResult, page) as Page)[0] ?? doc;
}

/** A page to a router: its page method, else its single method once per row. */
function routePage<One, Page>(forms: PagedForms<One, Page>, page: Page): unknown {
  const result = forms.page(page);
  if (result !== NOT_IMPLEMENTED) return passOn(result, page);
  const docs = forms.unpack(page);
  if (docs.length === 0) return page;
  const results: One[] = [];
  for (const doc of docs) {
    const docResult = forms.one(doc);
    if (docResult === NOT_IMPLEMENTED) return page;
    results.push(passOn(docResult, doc) as One);
  }
  return forms.pack(results);
}
