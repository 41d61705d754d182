// Turns a run's documents into storage writes: finds the run each document belongs to, numbers
// documents in arrival order (replay), packs consecutive events of one descriptor into pages,
// skips a run ingested twice (same start) while refusing a uid reused with other content, and
// completes a run stored only in part (an ingest interrupted, a file copied while written).
import type {
  Datum,
  DatumPage,
  Event,
  EventDescriptor,
  EventPage,
  NamedDocument,
  Resource,
  RunStart,
  RunStop,
  StreamDatum,
  StreamResource,
} from "@cerulean/event-model";
import { packEventPage, unpackEventPage } from "@cerulean/event-model";
import { DuplicateUniqueIdError, OrphanDocumentError } from "../errors.ts";
import { searchText } from "../query/search-text.ts";
import { encodeDoc, searchJson } from "./doc-codec.ts";
import { encodePage } from "./page-codec.ts";
import type { CatalogStorage, StorageOp } from "./storage.ts";

interface RunState {
  nextOrd: number;
  start: RunStart;
  /** The run was stored complete before with the same start: its documents are dropped. */
  skip: boolean;
  /** The run arrived again while stored without a stop: documents already stored are skipped. */
  resuming: boolean;
  stop: RunStop | null;
}

interface PendingEvents {
  runUid: string;
  descriptor: string;
  ord: number;
  signature: string;
  events: Event[];
}

/** One document that could not be stored, by its position in the batch. */
export interface DocumentFailure {
  index: number;
  error: Error;
}

function signature(event: Event): string {
  const filled = event.filled === undefined ? "-" : Object.keys(event.filled).join("\u0000");
  return `${Object.keys(event.data).join("\u0000")}\u0001${Object.keys(event.timestamps).join("\u0000")}\u0001${filled}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/** The rows of a page after seq_num `stored`. */
function tailOf(page: EventPage, stored: number): EventPage {
  const keep = unpackEventPage(page).filter((event) => event.seq_num > stored);
  return keep.length === page.seq_num.length
    ? page
    : keep.length
      ? packEventPage(keep)
      : { ...page, seq_num: [] };
}

function seqRange(seqNums: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of seqNums) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return seqNums.length ? [lo, hi] : [0, -1];
}

/** Prepares storage operations for batches of documents; keeps what it learned between batches. */
export class DocumentWriter {
  readonly #storage: CatalogStorage;
  readonly #pageRows: number;
  readonly #runs = new Map<string, RunState>();
  /** descriptor, resource and stream_resource uid → run uid */
  readonly #owners = new Map<string, string>();
  /**
   * For runs arriving again while stored without a stop: descriptor uid → the highest seq_num
   * stored, so that only the missing tail is added.
   */
  readonly #resumeSeq = new Map<string, number>();
  #latestRun: string | null = null;
  #pending: PendingEvents | null = null;
  #ops: StorageOp[] = [];

  constructor(storage: CatalogStorage, pageRows: number) {
    this.#storage = storage;
    this.#pageRows = pageRows;
  }

  /** Forgets cached state (after a failed commit, the database is the truth again). */
  reset(): void {
    this.#runs.clear();
    this.#owners.clear();
    this.#resumeSeq.clear();
    this.#latestRun = null;
    this.#pending = null;
    this.#ops = [];
  }

  /** The writes for a batch, and the documents that could not be stored (with why). */
  async prepare(
    docs: readonly NamedDocument[],
  ): Promise<{ ops: StorageOp[]; failures: DocumentFailure[] }> {
    const failures: DocumentFailure[] = [];
    for (let i = 0; i < docs.length; i++) {
      try {
        await this.#add(docs[i]!);
      } catch (error) {
        failures.push({ index: i, error: error as Error });
      }
    }
    this.#flushEvents();
    const ops = this.#ops;
    this.#ops = [];
    return { ops, failures };
  }

  async #add([name, doc]: NamedDocument): Promise<void> {
    if (name === "event") return this.#event(doc);
    this.#flushEvents();
    switch (name) {
      case "start":
        return this.#start(doc);
      case "stop":
        return this.#stop(doc);
      case "descriptor":
        return this.#descriptor(doc);
      case "event_page":
        return this.#eventPage(doc);
      case "resource":
      case "stream_resource":
        return this.#resource(name, doc);
      case "datum":
      case "datum_page":
        return this.#datum(name, doc);
      case "stream_datum":
        return this.#streamDatum(doc);
    }
  }

  async #start(doc: RunStart): Promise<void> {
    const bytes = encodeDoc(doc);
    const known = this.#runs.get(doc.uid) ?? (await this.#loadRun(doc.uid));
    if (known) {
      if (!sameBytes(encodeDoc(known.start), bytes)) {
        throw new DuplicateUniqueIdError(
          doc.uid,
          `a run with start uid ${doc.uid} is already stored with different metadata`,
        );
      }
      // The same run arriving again: a complete one is skipped whole, so that nothing is stored
      // twice; one stored without its stop gets what it lacks (documents already stored are
      // recognised by uid, events by seq_num).
      if (known.stop) known.skip = true;
      else {
        known.resuming = true;
        for (const c of await this.#storage.counts(doc.uid))
          this.#resumeSeq.set(c.descriptor, c.maxSeq);
      }
      this.#latestRun = doc.uid;
      return;
    }
    this.#runs.set(doc.uid, { nextOrd: 1, start: doc, skip: false, resuming: false, stop: null });
    this.#latestRun = doc.uid;
    this.#ops.push({
      kind: "start",
      uid: doc.uid,
      doc,
      bytes,
      json: searchJson(doc),
      text: searchText(doc),
    });
  }

  async #stop(doc: RunStop): Promise<void> {
    const run = await this.#run(doc.run_start, `stop ${doc.uid}`);
    if (run.state.skip) return;
    if (run.state.stop) {
      if (sameBytes(encodeDoc(run.state.stop), encodeDoc(doc))) return;
      throw new DuplicateUniqueIdError(
        doc.run_start,
        `run ${doc.run_start} already has a stop document (uid ${run.state.stop.uid})`,
      );
    }
    run.state.stop = doc;
    const bytes = encodeDoc(doc);
    const text = searchText(run.state.start, doc);
    this.#ops.push({
      kind: "stop",
      runUid: run.uid,
      ord: run.state.nextOrd++,
      doc,
      bytes,
      json: searchJson(doc),
      text,
    });
  }

  async #descriptor(doc: EventDescriptor): Promise<void> {
    const run = await this.#run(doc.run_start, `descriptor ${doc.uid}`);
    if (run.state.skip || (run.state.resuming && (await this.#storedIn(run.uid, doc.uid)))) return;
    if (this.#owners.has(doc.uid) || (await this.#storage.locate(doc.uid))) {
      throw new DuplicateUniqueIdError(
        doc.uid,
        `a descriptor with uid ${doc.uid} is already stored`,
      );
    }
    this.#owners.set(doc.uid, run.uid);
    this.#ops.push({
      kind: "descriptor",
      runUid: run.uid,
      ord: run.state.nextOrd++,
      doc,
      bytes: encodeDoc(doc),
    });
  }

  async #event(doc: Event): Promise<void> {
    if (doc.seq_num <= (this.#resumeSeq.get(doc.descriptor) ?? -Infinity)) return;
    const sig = signature(doc);
    const pending = this.#pending;
    if (
      pending &&
      pending.descriptor === doc.descriptor &&
      pending.signature === sig &&
      pending.events.length < this.#pageRows
    ) {
      pending.events.push(doc);
      return;
    }
    this.#flushEvents();
    const run = await this.#owner(doc.descriptor, `event ${doc.uid}`, "descriptor");
    if (run.state.skip) return;
    this.#pending = {
      runUid: run.uid,
      descriptor: doc.descriptor,
      ord: run.state.nextOrd++,
      signature: sig,
      events: [doc],
    };
  }

  #flushEvents(): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    const hasFilled = pending.events[0]!.filled !== undefined;
    const page = packEventPage(pending.events);
    this.#pushPage(pending.runUid, pending.ord, page, "event", hasFilled);
  }

  async #eventPage(doc: EventPage): Promise<void> {
    const run = await this.#owner(doc.descriptor, "event page", "descriptor");
    if (run.state.skip) return;
    const stored = this.#resumeSeq.get(doc.descriptor);
    const page = stored === undefined ? doc : tailOf(doc, stored);
    if (page.seq_num.length === 0) return;
    this.#pushPage(run.uid, run.state.nextOrd++, page, "event_page", doc.filled !== undefined);
  }

  #pushPage(
    runUid: string,
    ord: number,
    page: EventPage,
    source: "event" | "event_page",
    hasFilled: boolean,
  ): void {
    const [seqFirst, seqLast] = seqRange(page.seq_num);
    this.#ops.push({
      kind: "page",
      runUid,
      ord,
      page: { descriptor: page.descriptor, source, rows: page.uid.length, seqFirst, seqLast },
      bytes: encodePage(page, hasFilled),
    });
  }

  async #resource(
    name: "resource" | "stream_resource",
    doc: Resource | StreamResource,
  ): Promise<void> {
    // Old resources may lack run_start; like Python's RunRouter, they belong to the latest run.
    const runUid = doc.run_start ?? this.#latestRun;
    if (!runUid) {
      throw new OrphanDocumentError(
        `${name} ${doc.uid} has no run_start and no run has been started`,
      );
    }
    const run = await this.#run(runUid, `${name} ${doc.uid}`);
    if (run.state.skip) return;
    if (run.state.resuming && (await this.#storedIn(run.uid, doc.uid))) return;
    this.#owners.set(doc.uid, run.uid);
    this.#ops.push({
      kind: "document",
      runUid: run.uid,
      ord: run.state.nextOrd++,
      name,
      uid: doc.uid,
      bytes: encodeDoc(doc),
    });
  }

  async #datum(name: "datum" | "datum_page", doc: Datum | DatumPage): Promise<void> {
    const run = await this.#owner(doc.resource, `${name} of resource ${doc.resource}`, "resource");
    if (run.state.skip) return;
    this.#ops.push({
      kind: "document",
      runUid: run.uid,
      ord: run.state.nextOrd++,
      name,
      uid: null,
      bytes: encodeDoc(doc),
    });
  }

  async #streamDatum(doc: StreamDatum): Promise<void> {
    const run = await this.#owner(doc.descriptor, `stream_datum ${doc.uid}`, "descriptor");
    if (run.state.skip) return;
    this.#ops.push({
      kind: "document",
      runUid: run.uid,
      ord: run.state.nextOrd++,
      name: "stream_datum",
      uid: null,
      bytes: encodeDoc(doc),
    });
  }

  async #storedIn(runUid: string, uid: string): Promise<boolean> {
    if (this.#owners.get(uid) === runUid) return true;
    return (await this.#storage.locate(uid))?.runUid === runUid;
  }

  /** The run that owns a descriptor or resource uid. */
  async #owner(
    uid: string,
    what: string,
    kind: "descriptor" | "resource",
  ): Promise<{ uid: string; state: RunState }> {
    let runUid = this.#owners.get(uid);
    if (runUid === undefined) {
      const found = await this.#storage.locate(uid);
      if (
        !found ||
        (kind === "descriptor" ? found.name !== "descriptor" : found.name === "descriptor")
      ) {
        throw new OrphanDocumentError(
          `${what} refers to ${kind} ${uid}, which the catalog has never received`,
        );
      }
      runUid = found.runUid;
      this.#owners.set(uid, runUid);
    }
    return this.#run(runUid, what);
  }

  async #run(uid: string, what: string): Promise<{ uid: string; state: RunState }> {
    const state = this.#runs.get(uid) ?? (await this.#loadRun(uid));
    if (!state)
      throw new OrphanDocumentError(
        `${what} refers to run ${uid}, whose start document the catalog has never received`,
      );
    return { uid, state };
  }

  async #loadRun(uid: string): Promise<RunState | undefined> {
    const [stored] = await this.#storage.getRuns([uid]);
    if (!stored) return undefined;
    const state: RunState = {
      nextOrd: (await this.#storage.maxOrd(uid)) + 1,
      start: stored.start,
      skip: false,
      resuming: false,
      stop: stored.stop,
    };
    this.#runs.set(uid, state);
    return state;
  }
}
