import type { EventDescriptor, NamedDocument, RunStart, RunStop } from "@cerulean/event-model";
import {
  Filler,
  type FillerOptions,
  type HandlerFactory,
  type RegistryInit,
} from "@cerulean/event-model";
import { decodeDoc } from "../catalog/doc-codec.ts";
import type { CatalogStorage, StoredRun } from "../catalog/storage.ts";
import { StreamNotFoundError } from "../errors.ts";
import { replayRun } from "./replay.ts";
import { type RunContext, Stream } from "./stream.ts";

/** How external data is loaded: handler factories by resource spec, plus Filler options. */
export interface FillConfig {
  handlers?: RegistryInit<HandlerFactory>;
  options?: FillerOptions;
}

/** The summary Tiled's Bluesky adapters give next to start and stop. */
export interface RunSummary {
  uid: string;
  scan_id: number | null;
  plan_name: string | null;
  /** start.time, epoch seconds. */
  timestamp: number;
  /** start.time as an ISO 8601 string (UTC). */
  datetime: string;
  /** stop.time - start.time, or null while the run has no stop. */
  duration: number | null;
}

/** A run's metadata as served over HTTP: start, stop (null while incomplete) and summary. */
export interface RunMetadata {
  start: RunStart;
  stop: RunStop | null;
  summary: RunSummary;
}

/** One run of the catalog: its metadata, streams and documents. Cheap to create; reads lazily. */
export class Run {
  readonly uid: string;
  readonly start: RunStart;
  /** null for a run without a stop document (still running, or its writer crashed). */
  readonly stop: RunStop | null;
  /** Insertion order in the catalog. */
  readonly index: number;
  readonly #storage: CatalogStorage;
  readonly #fill: FillConfig;
  #descriptors: Promise<EventDescriptor[]> | null = null;

  constructor(storage: CatalogStorage, stored: StoredRun, fill: FillConfig = {}) {
    this.#storage = storage;
    this.#fill = fill;
    this.uid = stored.uid;
    this.start = stored.start;
    this.stop = stored.stop;
    this.index = stored.id;
  }

  /** False while the run has no stop document. */
  get complete(): boolean {
    return this.stop !== null;
  }

  get summary(): RunSummary {
    const { start, stop } = this;
    return {
      uid: this.uid,
      scan_id: typeof start.scan_id === "number" ? start.scan_id : null,
      plan_name: typeof start["plan_name"] === "string" ? start["plan_name"] : null,
      timestamp: start.time,
      datetime: new Date(start.time * 1000).toISOString(),
      duration: stop ? stop.time - start.time : null,
    };
  }

  get metadata(): RunMetadata {
    return { start: this.start, stop: this.stop, summary: this.summary };
  }

  /** The descriptors, in arrival order. */
  descriptors(): Promise<EventDescriptor[]> {
    this.#descriptors ??= this.#storage
      .descriptors(this.uid)
      .then((rows) => rows.map((r) => r.doc));
    return this.#descriptors;
  }

  /** The stream names, in order of their first descriptor. */
  async streamNames(): Promise<string[]> {
    return [...new Set((await this.descriptors()).map((d) => d.name ?? "primary"))];
  }

  /** One stream; throws StreamNotFoundError naming the streams the run has. */
  async stream(name = "primary"): Promise<Stream> {
    const descriptors = (await this.descriptors()).filter((d) => (d.name ?? "primary") === name);
    if (descriptors.length === 0) {
      const names = await this.streamNames();
      throw new StreamNotFoundError(
        `run ${this.uid} has no stream "${name}"; its streams are ${names.length ? names.map((n) => `"${n}"`).join(", ") : "(none)"}`,
      );
    }
    return new Stream(this.#context(), name, descriptors);
  }

  /** Events per stream: the stop's num_events, or counted from storage while incomplete. */
  async eventCounts(): Promise<Record<string, number>> {
    if (this.stop?.num_events) return { ...this.stop.num_events };
    const names = new Map((await this.descriptors()).map((d) => [d.uid, d.name ?? "primary"]));
    const out: Record<string, number> = {};
    for (const c of await this.#storage.counts(this.uid)) {
      const name = names.get(c.descriptor) ?? "primary";
      out[name] = (out[name] ?? 0) + c.rows;
    }
    return out;
  }

  /** The documents as they arrived; with `fill`, external data loaded through the Filler. */
  documents(options: { fill?: boolean } = {}): AsyncIterable<NamedDocument> {
    const filler = options.fill ? this.#newFiller() : null;
    return replayRun(this.#storage, this.uid, filler);
  }

  #newFiller(): Filler {
    return new Filler(this.#fill.handlers ?? {}, this.#fill.options ?? {});
  }

  #context(): RunContext {
    const storage = this.#storage;
    const runUid = this.uid;
    let filler: Promise<Filler> | null = null;
    return {
      storage,
      runUid,
      filler: () => {
        filler ??= (async () => {
          const f = this.#newFiller();
          const names = [
            "descriptor",
            "resource",
            "datum",
            "datum_page",
            "stream_resource",
          ] as const;
          for await (const doc of storage.documents(runUid, names)) {
            f.ingest(doc.name, decodeDoc(doc.bytes, `${doc.name} of run ${runUid}`));
          }
          return f;
        })();
        return filler;
      },
    };
  }
}
