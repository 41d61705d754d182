// bluesky.callbacks.zmq.RemoteDispatcher as an async iterable: connects to a proxy's output
// port and yields `[name, doc]` from every frame (ours or a Python Publisher's with a matching
// serializer). Frames are read eagerly into a bounded buffer, so a slow consumer loses documents
// here, where they are counted exactly, rather than inside ZeroMQ; losses upstream (a proxy's
// high-water mark) are found from the documents by GapDetector. Both arrive as gap notices.
import { isDocumentName, type NamedDocument } from "@cerulean/event-model";
import { Subscriber } from "zeromq";
import { decodeBlueskyFrame, prefixBytes } from "../codec/bluesky-zmq-frame.ts";
import { assertWireFormat, decodeBody } from "../codec/document-codec.ts";
import type { DocumentSubscriber, SubscriberOptions, WireFormat } from "../document-bus.ts";
import { DocumentQueue } from "../document-queue.ts";
import { BusDecodeError, BusTransportError } from "../errors.ts";
import { GapDetector } from "../gap-detector.ts";
import { normalizeZmqAddress, type ZmqAddress } from "./address.ts";

export interface ZmqSubscriberOptions extends SubscriberOptions {
  /** Only documents from publishers with this prefix (default: every publisher). */
  prefix?: string | Uint8Array;
  /** Body encoding the publishers use (default "msgpack"). */
  format?: WireFormat;
  /** Most documents buffered for a slow consumer before they are dropped (default 10,000). */
  maxBuffered?: number;
  /** Most bytes buffered likewise (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Look for holes in the documents themselves (default true). */
  detectGaps?: boolean;
}

/** Counters of a subscriber. */
export interface ZmqSubscriberStats {
  /** Frames received (including dropped and undecodable ones). */
  received: number;
  /** Documents waiting in the buffer. */
  buffered: number;
}

/**
 * Connects to a ZeroMQ proxy's output port and iterates the documents.
 * @example
 * const sub = await openZmqSubscriber("127.0.0.1:5578", { onGap: (g) => console.warn(g.message) });
 * for await (const [name, doc] of sub) callback(name, doc);
 */
export async function openZmqSubscriber(
  address: ZmqAddress,
  options: ZmqSubscriberOptions = {},
): Promise<ZmqSubscriber> {
  return new ZmqSubscriber(normalizeZmqAddress(address), options);
}

/** Documents from a ZeroMQ proxy; see openZmqSubscriber. */
export class ZmqSubscriber implements DocumentSubscriber {
  readonly address: string;
  readonly #socket = new Subscriber();
  readonly #prefix: Uint8Array;
  readonly #format: WireFormat;
  readonly #queue: DocumentQueue;
  readonly #detector: GapDetector | undefined;
  #received = 0;
  #closed = false;

  constructor(address: string, options: ZmqSubscriberOptions = {}) {
    this.address = address;
    this.#prefix = prefixBytes(options.prefix);
    this.#format = options.format ?? "msgpack";
    assertWireFormat(this.#format);
    this.#detector = options.detectGaps === false ? undefined : new GapDetector();
    this.#queue = new DocumentQueue({
      overflow: "drop",
      maxDocuments: options.maxBuffered,
      maxBytes: options.maxBufferedBytes,
      onGap: options.onGap,
    });
    this.#socket.linger = 0;
    // A ZeroMQ subscription matches the frame's first bytes: "prefix " selects one publisher.
    if (this.#prefix.length > 0)
      this.#socket.subscribe(Buffer.concat([this.#prefix, Buffer.from(" ")]));
    else this.#socket.subscribe();
    this.#socket.connect(address);
    void this.#read();
  }

  get stats(): ZmqSubscriberStats {
    return { received: this.#received, buffered: this.#queue.length };
  }

  [Symbol.asyncIterator](): AsyncIterator<NamedDocument> {
    return this.#queue;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.close();
    this.#queue.end();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #read(): Promise<void> {
    try {
      for await (const frames of this.#socket) this.#handle(frames);
    } catch (error) {
      if (this.#closed) return;
      const why = error instanceof Error ? error.message : String(error);
      this.#queue.fail(
        new BusTransportError(`ZeroMQ subscriber of ${this.address} failed: ${why}`, {
          cause: error,
        }),
      );
    }
  }

  #handle(frames: Buffer[]): void {
    this.#received++;
    const bytes = frames.reduce((n, f) => n + f.length, 0);
    if (this.#queue.wouldDrop(bytes)) {
      this.#queue.countDropped();
      this.#detector?.reset();
      return;
    }
    let named: NamedDocument;
    try {
      named = this.#decode(frames);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#queue.pushGap({
        reason: "undecodable",
        missed: 1,
        message: `dropped a message: ${why}`,
      });
      this.#detector?.reset();
      return;
    }
    const gap = this.#detector?.observe(...named);
    if (gap) this.#queue.pushGap(gap);
    if (!this.#queue.push(named, bytes)) this.#detector?.reset();
  }

  #decode(frames: Buffer[]): NamedDocument {
    const [frame] = frames;
    if (frames.length !== 1 || !frame) {
      throw new BusDecodeError(
        `a ZeroMQ message of ${frames.length} frames; bluesky sends one frame per document`,
      );
    }
    // The subscription "prefix " already selected this publisher's frames.
    const { name, body } = decodeBlueskyFrame(frame);
    if (!isDocumentName(name)) {
      throw new BusDecodeError(
        `a ZeroMQ message with the unknown document name ${JSON.stringify(name)}`,
      );
    }
    const doc = decodeBody(body, this.#format);
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new BusDecodeError(`the ${name} document of a ZeroMQ message is not a map`);
    }
    return [name, doc] as NamedDocument;
  }
}
