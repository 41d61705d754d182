// Batches documents into transactions. A document is acknowledged (its promise resolves) only
// once the transaction holding it has committed; a stop, a full batch or `flush()` commits at
// once, anything else within `maxDelayMs`.
import { documentRows, type NamedDocument } from "@cerulean/event-model";
import { StorageError } from "../errors.ts";
import type { DocumentWriter } from "./document-writer.ts";
import type { CatalogStorage } from "./storage.ts";

interface Item {
  doc: NamedDocument;
  /** Its weight in the queue, counted once when queued. */
  rows: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface WriteQueueOptions {
  /** Longest wait before queued documents are committed (ms). */
  maxDelayMs: number;
  /** Documents per transaction at most. */
  maxBatch: number;
  /** Rows (events and datums; other documents count one) queued before the queue is behind. */
  highWaterRows: number;
}

export class WriteQueue {
  readonly #writer: DocumentWriter;
  readonly #storage: CatalogStorage;
  readonly #options: WriteQueueOptions;
  #items: Item[] = [];
  #rows = 0;
  #timer: NodeJS.Timeout | null = null;
  #draining: Promise<void> | null = null;

  constructor(writer: DocumentWriter, storage: CatalogStorage, options: WriteQueueOptions) {
    this.#writer = writer;
    this.#storage = storage;
    this.#options = options;
  }

  /** Documents queued and not yet committed. */
  get size(): number {
    return this.#items.length;
  }

  /** True when more than `highWaterRows` rows wait: the producer should wait for flush(). */
  get behind(): boolean {
    return this.#rows >= this.#options.highWaterRows;
  }

  /** Queues a document; resolves once it is committed, rejects if it cannot be stored. */
  push(doc: NamedDocument): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const rows = documentRows(...doc);
      this.#items.push({ doc, rows, resolve, reject });
      this.#rows += rows;
      if (doc[0] === "stop" || this.#items.length >= this.#options.maxBatch || this.behind) {
        this.#drainSoon();
      } else this.#timer ??= setTimeout(() => this.#drainSoon(), this.#options.maxDelayMs);
    });
  }

  /** Commits everything queued so far. */
  async flush(): Promise<void> {
    while (this.#items.length > 0 || this.#draining) {
      if (!this.#draining) this.#drainSoon();
      await this.#draining;
    }
  }

  #drainSoon(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
      // A document queued between the drain's last batch and this moment (a stop written as
      // soon as the previous write resolved) found the drain still marked as running.
      if (this.#items.length > 0) this.#drainSoon();
    });
  }

  async #drain(): Promise<void> {
    while (this.#items.length > 0) {
      const batch = this.#items.splice(0, this.#options.maxBatch);
      await this.#commit(batch);
      for (const item of batch) this.#rows -= item.rows;
    }
  }

  async #commit(batch: Item[]): Promise<void> {
    let failed: Map<number, Error> | undefined;
    let lastError: unknown;
    // A storage failure (disk full for a moment, a busy database, a dropped connection) is
    // retried with the state reloaded from the database, before any document is given up.
    for (const delayMs of RETRY_DELAYS_MS) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        const { ops, failures } = await this.#writer.prepare(batch.map((item) => item.doc));
        if (ops.length > 0) await this.#storage.write(ops);
        failed = new Map(failures.map((f) => [f.index, f.error]));
        break;
      } catch (err) {
        this.#writer.reset();
        lastError = err;
      }
    }
    if (!failed) {
      const error = new StorageError(
        `${batch.length} documents could not be committed to the ${this.#storage.kind} catalog after ${RETRY_DELAYS_MS.length} attempts: ${(lastError as Error).message}`,
        { cause: lastError },
      );
      for (const item of batch) item.reject(error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const error = failed.get(i);
      if (error) batch[i]!.reject(error);
      else batch[i]!.resolve();
    }
  }
}

/** Waits before each attempt to commit a batch. */
const RETRY_DELAYS_MS = [0, 50, 500];
