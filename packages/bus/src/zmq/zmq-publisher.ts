// bluesky.callbacks.zmq.Publisher in TypeScript: connects to a proxy's input port and sends each
// document as one frame, `prefix name body`. It never blocks the caller: frames wait in a bounded
// queue until the proxy has subscribed (an XPUB socket sees the subscription, so nothing is sent
// into the void at start-up) and while ZeroMQ applies back-pressure (XPUB_NODROP); a queue
// overflow is reported through onError with the count.
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
  /** Most frames held while the proxy is away or slow (default 10,000). */
  maxQueued?: number;
  /** Most bytes held likewise (default 256 MiB). */
  maxQueuedBytes?: number;
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
  #stats = { published: 0, sent: 0 };
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
      this.#queue.length >= this.#maxQueued ||
      this.#queuedBytes + frame.length > this.#maxQueuedBytes
    ) {
      this.#drops.drop(name);
      return;
    }
    this.#drops.settle();
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

  async #pump(): Promise<void> {
    if (this.#pumping || this.#closed) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && this.#subscriptions > 0 && !this.#closed) {
        const frame = this.#queue[0]!;
        await this.#socket.send(frame);
        this.#queue.shift();
        this.#queuedBytes -= frame.length;
        this.#stats.sent++;
      }
    } catch (error) {
      if (!this.#closed) this.#fail(error);
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
