// The WebSocket endpoint's memory of recent documents, already encoded: every connection reads
// it through its own cursor, so a new browser replays the current run from it, a slow one lags
// behind in it, and one that lags past its bounded end is told how much it missed. Sans-IO.
import type { DocumentName } from "@cerulean/event-model";
import type { WireFormat } from "../document-bus.ts";

/** One document in the log, with its frame in each format the endpoint serves. */
export interface LogEntry {
  seq: number;
  name: DocumentName;
  frames: Partial<Record<WireFormat, string | Uint8Array>>;
  bytes: number;
}

export interface DocumentLogOptions {
  /** Most documents kept (default 100,000). */
  maxDocuments?: number;
  /** Most bytes of frames kept (default 256 MiB). */
  maxBytes?: number;
}

/** A bounded, seq-numbered log of encoded documents that remembers where the current run began. */
export class DocumentLog {
  readonly #entries: (LogEntry | undefined)[] = [];
  #offset = 0;
  #first = 1;
  #next = 1;
  #bytes = 0;
  #runStart: number | undefined;
  readonly #maxDocuments: number;
  readonly #maxBytes: number;

  constructor(options: DocumentLogOptions = {}) {
    this.#maxDocuments = options.maxDocuments ?? 100_000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  /** The seq of the oldest document still held. */
  get firstSeq(): number {
    return this.#first;
  }

  /** The seq the next document will get. */
  get nextSeq(): number {
    return this.#next;
  }

  /** The seq of the latest start document (it may have been evicted since), if any. */
  get currentRunSeq(): number | undefined {
    return this.#runStart;
  }

  /** Appends a document and evicts the oldest beyond the bounds (never the one just added). */
  append(name: DocumentName, frames: LogEntry["frames"], bytes: number): LogEntry {
    const entry: LogEntry = { seq: this.#next++, name, frames, bytes };
    if (name === "start") this.#runStart = entry.seq;
    this.#entries.push(entry);
    this.#bytes += bytes;
    while (
      this.#next - this.#first > 1 &&
      (this.#next - this.#first > this.#maxDocuments || this.#bytes > this.#maxBytes)
    ) {
      this.#evictOldest();
    }
    return entry;
  }

  /** The document with this seq, or undefined when it was evicted or not yet written. */
  get(seq: number): LogEntry | undefined {
    if (seq < this.#first || seq >= this.#next) return undefined;
    return this.#entries[this.#offset + (seq - this.#first)];
  }

  #evictOldest(): void {
    const entry = this.#entries[this.#offset];
    this.#entries[this.#offset++] = undefined;
    this.#first++;
    if (entry) this.#bytes -= entry.bytes;
    if (this.#offset > 4096 && this.#offset * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#offset);
      this.#offset = 0;
    }
  }
}
