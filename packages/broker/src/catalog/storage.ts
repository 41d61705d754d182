// The one narrow interface between the catalog and a database. Everything above it (batching,
// encoding, search semantics, run access) is shared; SQLite and PostgreSQL only move rows.
import type { DocumentName, EventDescriptor, RunStart, RunStop } from "@cerulean/event-model";
import type { Filter, Sort } from "../query/filters.ts";

/** One write, already encoded; a batch of them commits atomically, in order. */
export type StorageOp =
  | {
      kind: "start";
      uid: string;
      doc: RunStart;
      /** msgpack of the document (exact replay). */
      bytes: Uint8Array;
      /** JSON of the document (search). */
      json: string;
      /** Words for full-text search. */
      text: string;
    }
  | {
      kind: "stop";
      runUid: string;
      ord: number;
      doc: RunStop;
      bytes: Uint8Array;
      json: string;
      /** Full-text words of start and stop together. */
      text: string;
    }
  | { kind: "descriptor"; runUid: string; ord: number; doc: EventDescriptor; bytes: Uint8Array }
  | {
      kind: "document";
      runUid: string;
      ord: number;
      name: DocumentName;
      /** The document's own uid (resource uid, datum_id...) when it has one, for lookups. */
      uid: string | null;
      bytes: Uint8Array;
    }
  | { kind: "page"; runUid: string; ord: number; page: StoredPageMeta; bytes: Uint8Array };

/** What is indexed about a stored event page. */
export interface StoredPageMeta {
  descriptor: string;
  /** "event" when the page was packed from single events (replayed as events). */
  source: "event" | "event_page";
  rows: number;
  seqFirst: number;
  seqLast: number;
}

/** A stored event page. */
export interface StoredPage extends StoredPageMeta {
  runUid: string;
  ord: number;
  bytes: Uint8Array;
}

/** A run as stored: its documents (exact) and its insertion index. */
export interface StoredRun {
  /** Insertion order, increasing; the catalog's default sort. */
  id: number;
  uid: string;
  start: RunStart;
  stop: RunStop | null;
}

export interface StoredDescriptor {
  runUid: string;
  ord: number;
  doc: EventDescriptor;
}

/** A stored non-event document (start, descriptor, resource, datum, stop, ...). */
export interface StoredDocument {
  runUid: string;
  ord: number;
  name: DocumentName;
  bytes: Uint8Array;
}

/** A search: filters ANDed, then sorted, then one page of results. */
export interface RunSearch {
  filters: readonly Filter[];
  sorts: readonly Sort[];
  offset: number;
  /** null: no limit. */
  limit: number | null;
}

/** Row counts of one descriptor's pages. */
export interface DescriptorCounts {
  descriptor: string;
  rows: number;
  maxSeq: number;
}

/** Where a document with a given uid (descriptor, resource, stream_resource) was stored. */
export interface DocumentLocation {
  runUid: string;
  name: DocumentName;
}

/** The storage backend of a catalog. */
export interface CatalogStorage {
  /** "sqlite" or "postgres", for messages and benchmarks. */
  readonly kind: string;
  /** Commits the operations in one transaction. A start whose uid exists is a no-op. */
  write(ops: readonly StorageOp[]): Promise<void>;
  /** The runs with these uids (missing ones left out), in no particular order. */
  getRuns(uids: readonly string[]): Promise<StoredRun[]>;
  searchRuns(search: RunSearch): Promise<StoredRun[]>;
  countRuns(filters: readonly Filter[]): Promise<number>;
  /** A run's descriptors, in arrival order. */
  descriptors(runUid: string): Promise<StoredDescriptor[]>;
  /**
   * Pages of these descriptors, in arrival order; with `seq`, only pages that may hold seq_nums
   * in [seq.from, seq.to).
   */
  pages(
    descriptors: readonly string[],
    seq?: { from: number; to: number },
  ): AsyncIterable<StoredPage>;
  /** All pages of a run, in arrival order (for replay). */
  runPages(runUid: string): AsyncIterable<StoredPage>;
  /** A run's non-event documents, in arrival order; optionally only some names. */
  documents(runUid: string, names?: readonly DocumentName[]): AsyncIterable<StoredDocument>;
  /** Rows and highest seq_num per descriptor of a run. */
  counts(runUid: string): Promise<DescriptorCounts[]>;
  /** Finds the run a descriptor, resource or stream_resource uid belongs to. */
  locate(uid: string): Promise<DocumentLocation | undefined>;
  /** The highest ord used by a run so far (-1 if it has no documents). */
  maxOrd(runUid: string): Promise<number>;
  close(): Promise<void>;
}
