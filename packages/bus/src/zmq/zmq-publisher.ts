// bluesky.callbacks.zmq.Publisher in TypeScript: connects to a proxy's input port and sends each
// document as one frame, `prefix name body`. It never blocks the caller: frames wait in a bounded
// queue until the proxy has subscribed (an XPUB socket sees the subscription, so nothing is sent
// into the void at start-up) and while ZeroMQ applies back-pressure (XPUB_NODROP). At the
// high-water mark send() fails with EAGAIN, and an XPUB socket always reports itself writable,
// so nothing would wake the drain loop: it retries with a backoff for as long as frames wait.
// A queue overflow is reported through onError with the count; it drops events first (the other
// documents are let past the count bound, not the byte bound), so that subscribers, bluesky's
// included, see the loss from seq_num and num_events and report it as a gap with its count.
import type { DocumentCallback, NamedDocument } from "@cerulean/event-model";
import { XPublisher } from "zeromq";
import { encodeBlueskyFrame, prefixBytes } from "../codec/bluesky-zmq-frame.ts";
import { assertWireFormat, encodeBody } from "../codec/document-codec.ts";
import type { DocumentPublisher, WireFormat } from "../document-bus.ts";
import { DropReporter } from "../drop-reporter.ts";
import {
  BusClosedError,
  type BusError,
  BusTransportError,
  DocumentsDroppedError,
} from "../errors.ts";
import { normalizeZmqAddress, type ZmqAddress } from "./address.ts";

export interface ZmqPublisherOptions {
  /** Distinguishes publishers sharing a proxy (bluesky's `prefix`); may not contain a space. */
  prefix?: string | Uint8Array;
  /** Body encoding (default "msgpack"); Python peers pass the matching (de)serializer. */
  format?: WireFormat;
  /** Most frames held while the proxy is away or slow (default 10,000); past it only events are dropped. */
  maxQueued?: number;
  /** Most bytes held likewise (default 256 MiB). */
  maxQueuedBytes?: number;
  /** Frames ZeroMQ holds for the proxy before back-pressure (ZeroMQ default 1,000). */
  sendHighWaterMark?: number;
  /** How long close() waits for queued frames to leave (default 2,000 ms). */
  closeTimeoutMs?: number;
  /** Dropped documents and socket failures; default: process.emitWarning. */
  onError?: (error: BusError) => void;
}

/** Counters of a publisher. */
export interface ZmqPublisherStats {
  published: number;
  sent: number;
  dropped: number;
  queued: number;
  /** Sends the socket refused (the proxy's back-pressure) and the publisher tried again. */
  retried: number;
}

/** Longest wait between two attempts at a frame the socket refused. */
const MAX_BACKOFF_MS = 50;

/** True for ZeroMQ's EAGAIN: the high-water mark is reached (XPUB_NODROP), try again later. */
function isBackPressure(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "EAGAIN"
  );
}

/**
 * Connects a publisher to a ZeroMQ proxy (ours or bluesky's `bluesky-0MQ-proxy`).
 * @example
 * const pub = await openZmqPublisher("127.0.0.1:5577");
 * RE.subscribe(pub.publish);
 */
export async function openZmqPublisher(
  address: ZmqAddress,
  options: ZmqPublisherOptions = {},
): Promise<ZmqPublisher> {
  return new ZmqPublisher(normalizeZmqAddress(address), options);
}

/** Publishes documents to a ZeroMQ proxy in bluesky's framing; see openZmqPublisher. */
export class ZmqPublisher implements DocumentPublisher {
  readonly address: string;
  readonly #socket = new XPublisher();
  readonly #prefix: Uint8Array;
  readonly #format: WireFormat;
  readonly #maxQueued: number;
  readonly #maxQueuedBytes: number;
  readonly #closeTimeoutMs: number;
  readonly #onError: (error: BusError) => void;
  readonly #queue: Buffer[] = [];
  #queuedBytes = 0;
  #subscriptions = 0;
  #pumping = false;
  #closed = false;
  #stats = { published: 0, sent: 0, retried: 0 };
  readonly #drops: DropReporter;
  #idleWaiters: (() => void)[] = [];
  #subscribedWaiters: (() => void)[] = [];

  constructor(address: string, options: ZmqPublisherOptions = {}) {
    this.address = address;
    this.#prefix = prefixBytes(options.prefix);
    this.#format = options.format ?? "msgpack";
    assertWireFormat(this.#format);
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 256 * 1024 * 1024;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2000;
    this.#onError =
      options.onError ?? ((error) => process.emitWarning(error.message, { type: error.name }));
    this.#drops = new DropReporter(
      () =>
        `ZeroMQ publisher to ${this.address} (${this.#queue.length} frames, ${this.#queuedBytes} bytes wait for the proxy, which ${this.#subscriptions > 0 ? "is slow" : "has not subscribed"})`,
      this.#onError,
    );
    this.#socket.noDrop = true;
    this.#socket.verbosity = "allSubsUnsubs";
    this.#socket.linger = 0;
    if (options.sendHighWaterMark !== undefined) {
      this.#socket.sendHighWaterMark = options.sendHighWaterMark;
    }
    this.#socket.connect(address);
    void this.#watchSubscriptions();
  }

  readonly publish: DocumentCallback = (...[name, doc]: NamedDocument): void => {
    if (this.#closed) {
      throw new BusClosedError(
        `${name} document published to the closed ZeroMQ publisher to ${this.address}`,
      );
    }
    this.#stats.published++;
    const frame = encodeBlueskyFrame(this.#prefix, name, encodeBody(doc, this.#format));
    if (
      (this.#queue.length >= this.#maxQueued && (name === "event" || name === "event_page")) ||
      this.#queuedBytes + frame.length > this.#maxQueuedBytes
    ) {
      this.#drops.drop(name);
      return;
    }
    if (this.#queue.length < this.#maxQueued) this.#drops.settle();
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    void this.#pump();
  };

  /** True once the proxy has subscribed, i.e. frames reach it. */
  get connected(): boolean {
    return this.#subscriptions > 0;
  }

  /** Resolves when the proxy has subscribed. */
  async whenConnected(): Promise<void> {
    if (this.#subscriptions > 0 || this.#closed) return;
    await new Promise<void>((resolve) => this.#subscribedWaiters.push(resolve));
  }

  get stats(): ZmqPublisherStats {
    return { ...this.#stats, dropped: this.#drops.total, queued: this.#queue.length };
  }

  async flush(): Promise<void> {
    if (this.#queue.length === 0 && !this.#pumping) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#closeTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.#closed = true;
    this.#drops.settle();
    const left = this.#queue.length;
    if (left > 0) {
      this.#onError(
        new DocumentsDroppedError(
          left,
          `ZeroMQ publisher to ${this.address} closed with ${left} documents not sent (the proxy ${this.#subscriptions > 0 ? "did not take them" : "never subscribed"} within ${this.#closeTimeoutMs} ms)`,
        ),
      );
      this.#queue.length = 0;
      this.#queuedBytes = 0;
    }
    this.#socket.close();
    this.#settle();
    for (const resolve of this.#subscribedWaiters.splice(0)) resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #watchSubscriptions(): Promise<void> {
    try {
      for await (const [message] of this.#socket) {
        if (!message || message.length === 0) continue;
        if (message[0] === 1) this.#subscriptions++;
        else if (message[0] === 0) this.#subscriptions = Math.max(0, this.#subscriptions - 1);
        if (this.#subscriptions > 0) {
          for (const resolve of this.#subscribedWaiters.splice(0)) resolve();
          void this.#pump();
        }
      }
    } catch (error) {
      if (!this.#closed) this.#fail(error);
    }
  }

  // Leaves only when nothing waits, the proxy has unsubscribed (a subscription restarts it) or
  // the publisher closed: queued frames always have a drain pending.
  async #pump(): Promise<void> {
    if (this.#pumping || this.#closed) return;
    this.#pumping = true;
    let backoffMs = 0;
    let failing = false;
    try {
      while (this.#queue.length > 0 && this.#subscriptions > 0 && !this.#closed) {
        const frame = this.#queue[0]!;
        try {
          await this.#socket.send(frame);
        } catch (error) {
          if (this.#closed) break;
          // EAGAIN is the proxy's back-pressure, expected under load; anything else is
          // reported once per episode and retried alike, since the frames are still ours.
          if (!isBackPressure(error) && !failing) {
            failing = true;
            this.#fail(error);
          }
          this.#stats.retried++;
          backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1, backoffMs * 2));
          await new Promise((resolve) => setTimeout(resolve, backoffMs));
          continue;
        }
        backoffMs = 0;
        failing = false;
        this.#queue.shift();
        this.#queuedBytes -= frame.length;
        this.#stats.sent++;
      }
    } finally {
      this.#pumping = false;
      this.#settle();
    }
  }

  #settle(): void {
    if (this.#queue.length === 0 || this.#closed) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #fail(error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    this.#onError(
      new BusTransportError(`ZeroMQ publisher to ${this.address} failed: ${why}`, { cause: error }),
    );
  }
}
