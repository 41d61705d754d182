// A Node client of the document WebSocket (the browser's equivalent lives in the web UI). When
// its consumer is slow, its buffer fills and it pauses the socket: TCP back-pressure then makes
// the server keep the documents in its log, and send a gap notice only if they fall out of it.
import type { NamedDocument } from "@cerulean/event-model";
import { WebSocket } from "ws";
import { assertWireFormat } from "../codec/document-codec.ts";
import type { DocumentSubscriber, SubscriberOptions, WireFormat } from "../document-bus.ts";
import { DocumentQueue } from "../document-queue.ts";
import { BusTransportError } from "../errors.ts";
import { decodeServerFrame, type ReplayFrom, subscriptionQuery } from "./websocket-protocol.ts";

export interface WebSocketSubscriberOptions extends SubscriberOptions {
  /** Frame format to ask for (default "json"). */
  format?: WireFormat;
  /** "run" (default: the current run), "none", "all" the server holds, or a seq to start at. */
  replay?: "run" | "none" | "all" | { since: number; epoch?: string };
  /** Documents buffered before the socket is paused (default 10,000). */
  maxBuffered?: number;
  /** Bytes buffered likewise (default 64 MiB). */
  maxBufferedBytes?: number;
}

/**
 * Connects to a document WebSocket; resolves once the connection is open.
 * @example
 * const sub = await openWebSocketSubscriber("ws://127.0.0.1:60610/api/documents/ws");
 * for await (const [name, doc] of sub) console.log(name);
 */
export async function openWebSocketSubscriber(
  url: string,
  options: WebSocketSubscriberOptions = {},
): Promise<WebSocketSubscriber> {
  const subscriber = new WebSocketSubscriber(url, options);
  await subscriber.opened;
  return subscriber;
}

/** Documents from a document WebSocket; see openWebSocketSubscriber. */
export class WebSocketSubscriber implements DocumentSubscriber {
  readonly url: string;
  /** Resolves when the connection is open; rejects when it cannot be made. */
  readonly opened: Promise<void>;
  /** Resolves when the server has sent the replay and what follows is live. */
  readonly live: Promise<void>;
  readonly #ws: WebSocket;
  readonly #format: WireFormat;
  readonly #queue: DocumentQueue;
  #nextSeq: number | undefined;
  #epoch: string | undefined;
  #setLive: () => void = () => undefined;
  #closed = false;

  constructor(url: string, options: WebSocketSubscriberOptions = {}) {
    this.#format = options.format ?? "json";
    assertWireFormat(this.#format);
    const replay = options.replay ?? "run";
    const from: ReplayFrom =
      typeof replay === "object"
        ? { kind: "since", seq: replay.since, ...(replay.epoch ? { epoch: replay.epoch } : {}) }
        : { kind: replay };
    // The URL may carry a query of its own already (e.g. ?api_key=).
    const query = subscriptionQuery({ format: this.#format, from });
    this.url = url.includes("?") && query ? `${url}&${query.slice(1)}` : `${url}${query}`;
    this.#queue = new DocumentQueue({
      overflow: "pause",
      maxDocuments: options.maxBuffered,
      maxBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
      onPause: () => this.#ws.pause(),
      onResume: () => this.#ws.resume(),
      onGap: options.onGap,
    });
    this.live = new Promise((resolve) => {
      this.#setLive = resolve;
    });
    this.#ws = new WebSocket(this.url);
    this.#ws.binaryType = "nodebuffer";
    this.opened = new Promise((resolve, reject) => {
      this.#ws.once("open", () => resolve());
      this.#ws.once("error", (error) =>
        reject(
          new BusTransportError(`cannot connect to ${this.url}: ${error.message}`, {
            cause: error,
          }),
        ),
      );
    });
    this.opened.catch(() => undefined);
    this.#ws.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    this.#ws.on("close", (code, reason) => {
      if (this.#closed || code === 1000 || code === 1001) this.#queue.end();
      else {
        this.#queue.fail(
          new BusTransportError(
            `document WebSocket ${this.url} closed with code ${code}${reason.length ? `: ${reason.toString("utf8")}` : ""}`,
          ),
        );
      }
    });
    this.#ws.on("error", (error) => {
      this.#queue.fail(
        new BusTransportError(`document WebSocket ${this.url} failed: ${error.message}`, {
          cause: error,
        }),
      );
    });
  }

  /** The server's epoch (from its live frame): pass it with `since` when resuming. */
  get epoch(): string | undefined {
    return this.#epoch;
  }

  /** The seq of the next document expected: reconnect with `replay: { since, epoch }` to resume. */
  get nextSeq(): number | undefined {
    return this.#nextSeq;
  }

  [Symbol.asyncIterator](): AsyncIterator<NamedDocument> {
    return this.#queue;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.end();
    if (this.#ws.readyState === WebSocket.CONNECTING) this.#ws.terminate();
    else this.#ws.close(1000);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    let message: ReturnType<typeof decodeServerFrame>;
    try {
      message = decodeServerFrame(isBinary ? bytes : bytes.toString("utf8"), this.#format);
    } catch (error) {
      this.#queue.pushGap({
        reason: "undecodable",
        missed: 1,
        message: `dropped a frame of ${this.url}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    switch (message.type) {
      case "document": {
        const expected = this.#nextSeq ?? message.seq;
        if (message.seq > expected) {
          const missed = message.seq - expected;
          this.#queue.pushGap({
            reason: "sequence",
            missed,
            message: `missed ${missed} document${missed === 1 ? "" : "s"} of ${this.url}: seq jumped from ${expected} to ${message.seq}`,
          });
        }
        this.#nextSeq = message.seq + 1;
        this.#queue.push([message.name, message.doc] as NamedDocument, bytes.length);
        return;
      }
      case "gap":
        this.#nextSeq = message.next;
        this.#queue.pushGap({
          reason: message.reason,
          missed: message.missed,
          message: message.message,
        });
        return;
      case "live":
        this.#nextSeq ??= message.next;
        this.#epoch = message.epoch;
        this.#setLive();
        return;
    }
  }
}
