// The bounded buffer between a push transport (ZeroMQ, WebSocket) and a `for await` consumer.
// Full means either "drop and count" (the transport cannot be slowed: ZeroMQ) or "pause the
// producer" (TCP back-pressure: WebSocket). Dropped documents become one gap notice, delivered in
// order, so nothing is lost silently.
import type { NamedDocument } from "@cerulean/event-model";
import type { DocumentGap, GapHandler } from "./document-bus.ts";
import { DocumentGapError } from "./errors.ts";

export interface DocumentQueueOptions {
  /** Most documents held (default 10,000). */
  maxDocuments?: number;
  /** Most bytes held, as counted by push() (default 256 MiB). */
  maxBytes?: number;
  /** "drop": refuse documents when full and report them as one gap; "pause": call onPause. */
  overflow: "drop" | "pause";
  /** Called once when the queue fills ("pause" mode). */
  onPause?: () => void;
  /** Called once when a paused queue has drained to half. */
  onResume?: () => void;
  onGap?: GapHandler;
}

type Item = { doc: NamedDocument; bytes: number } | { gap: DocumentGap };

/** A single-consumer async queue of documents and gap notices. @internal */
export class DocumentQueue implements AsyncIterableIterator<NamedDocument> {
  readonly #items: Item[] = [];
  #head = 0;
  #bytes = 0;
  #dropped = 0;
  #paused = false;
  #ended = false;
  #error: unknown;
  #waiter: (() => void) | undefined;
  readonly #maxDocuments: number;
  readonly #maxBytes: number;
  readonly #options: DocumentQueueOptions;

  constructor(options: DocumentQueueOptions) {
    this.#options = options;
    this.#maxDocuments = options.maxDocuments ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  /** Documents waiting to be consumed. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Documents dropped so far and not yet reported. */
  get pendingDropped(): number {
    return this.#dropped;
  }

  /** True once the producer ended or failed. */
  get ended(): boolean {
    return this.#ended;
  }

  /** True when a document of `bytes` bytes would be dropped now ("drop" mode). */
  wouldDrop(bytes: number): boolean {
    return this.#options.overflow === "drop" && this.length > 0 && this.#isFull(bytes);
  }

  /** Counts a document the producer refused to decode because wouldDrop() said so. */
  countDropped(): void {
    this.#dropped++;
  }

  /** Adds a document of `bytes` encoded bytes; returns false when it was dropped. */
  push(doc: NamedDocument, bytes: number): boolean {
    if (this.#ended) return false;
    const full = this.#isFull(bytes);
    if (full && this.#options.overflow === "drop" && this.length > 0) {
      this.#dropped++;
      return false;
    }
    this.#flushDropped();
    this.#items.push({ doc, bytes });
    this.#bytes += bytes;
    if (full && this.#options.overflow === "pause" && !this.#paused) {
      this.#paused = true;
      this.#options.onPause?.();
    }
    this.#wake();
    return true;
  }

  /** Adds a gap notice, in order after the documents already queued. */
  pushGap(gap: DocumentGap): void {
    if (this.#ended) return;
    this.#flushDropped();
    this.#items.push({ gap });
    this.#wake();
  }

  /** No more documents will come; the consumer finishes what is queued. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The producer failed; the consumer gets `error` after what is queued. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#error = error;
    this.end();
  }

  async next(): Promise<IteratorResult<NamedDocument>> {
    for (;;) {
      const item = this.#shift();
      if (item === undefined) {
        if (this.#error !== undefined) {
          const error = this.#error;
          this.#error = undefined;
          throw error;
        }
        if (this.#ended) return { done: true, value: undefined };
        await new Promise<void>((resolve) => {
          this.#waiter = resolve;
        });
        continue;
      }
      if ("doc" in item) return { done: false, value: item.doc };
      const onGap = this.#options.onGap;
      if (!onGap) {
        this.#ended = true;
        throw new DocumentGapError(item.gap);
      }
      onGap(item.gap);
    }
  }

  /** A `break` out of for-await: the queue stays open, iterating again continues. */
  async return(): Promise<IteratorResult<NamedDocument>> {
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<NamedDocument> {
    return this;
  }

  #isFull(bytes: number): boolean {
    return this.length >= this.#maxDocuments || this.#bytes + bytes > this.#maxBytes;
  }

  #shift(): Item | undefined {
    if (this.length === 0) {
      this.#flushDropped();
      if (this.length === 0) return undefined;
    }
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined as unknown as Item;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    if (item && "doc" in item) this.#bytes -= item.bytes;
    if (
      this.#paused &&
      this.length <= this.#maxDocuments / 2 &&
      this.#bytes <= this.#maxBytes / 2
    ) {
      this.#paused = false;
      this.#options.onResume?.();
    }
    return item;
  }

  #flushDropped(): void {
    if (this.#dropped === 0) return;
    const missed = this.#dropped;
    this.#dropped = 0;
    this.#items.push({
      gap: {
        reason: "slow-consumer",
        missed,
        message: `missed ${missed} document${missed === 1 ? "" : "s"}: the consumer fell behind and its buffer (${this.#maxDocuments} documents, ${this.#maxBytes} bytes) overflowed`,
      },
    });
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
