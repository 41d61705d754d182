import { DocumentRouter, type RouteOptions } from "./document-router.ts";
import type {
  DocumentMap,
  DocumentName,
  LegacyDocumentMap,
  LegacyDocumentName,
} from "./documents.ts";
import { EventModelRuntimeError, EventModelValueError } from "./errors.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";
import type { RunStart } from "./schemas/run-start.ts";

type AnyName = DocumentName | LegacyDocumentName;
type AnyMap = DocumentMap & LegacyDocumentMap;

/**
 * A DocumentRouter for exactly one run: it remembers the run's start and descriptors, so that
 * methods can ask for the start, the descriptor of an event and its stream name.
 */
export class SingleRunDocumentRouter extends DocumentRouter {
  #start: RunStart | undefined;
  readonly #descriptors = new Map<string, EventDescriptor>();

  /**
   * Records start and descriptor documents, then dispatches as DocumentRouter does. A second
   * start, or a descriptor of another run, throws EventModelValueError.
   */
  override route<K extends AnyName>(
    name: K,
    doc: AnyMap[K],
    options: RouteOptions = {},
  ): [K, AnyMap[K]] {
    if (name === "start") {
      const start = doc as RunStart;
      if (this.#start !== undefined) {
        throw new EventModelValueError(
          `SingleRunDocumentRouter: already routing run ${this.#start.uid}; got a second start ${start.uid}`,
        );
      }
      this.#start = start;
    } else if (name === "descriptor") {
      const descriptor = doc as EventDescriptor;
      const start = this.getStart();
      if (descriptor.run_start !== start.uid) {
        throw new EventModelValueError(
          `SingleRunDocumentRouter: descriptor ${descriptor.uid} belongs to run ${descriptor.run_start}, not to this router's run ${start.uid}`,
        );
      }
      this.#descriptors.set(descriptor.uid, descriptor);
    }
    return super.route(name, doc, options);
  }

  /** The run's start document; EventModelRuntimeError before it has arrived. */
  getStart(): RunStart {
    if (this.#start === undefined) {
      throw new EventModelRuntimeError(
        "SingleRunDocumentRouter: no start document has been received yet",
      );
    }
    return this.#start;
  }

  /**
   * The descriptor an event, event page or stream datum refers to. EventModelValueError when the
   * document has no `descriptor` field or its descriptor has not been received.
   */
  getDescriptor(doc: object): EventDescriptor {
    const uid = (doc as { descriptor?: unknown }).descriptor;
    if (typeof uid !== "string") {
      throw new EventModelValueError(
        `SingleRunDocumentRouter: only event, event_page and stream_datum documents refer to a descriptor; this document has no "descriptor" field (keys: ${Object.keys(doc).join(", ")})`,
      );
    }
    const descriptor = this.#descriptors.get(uid);
    if (descriptor === undefined) {
      throw new EventModelValueError(
        `SingleRunDocumentRouter: descriptor ${uid} has not been received by this run's router`,
      );
    }
    return descriptor;
  }

  /** The stream name (`descriptor.name`, "" when unnamed) of an event, event page or stream datum. */
  getStreamName(doc: object): string {
    return this.getDescriptor(doc).name ?? "";
  }
}
