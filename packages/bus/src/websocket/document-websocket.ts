// The live document stream for browsers: a WebSocket endpoint mounted on any Node HTTP server
// (plain http, https, or fastify's `instance.server`) through its 'upgrade' event. publish()
// appends to a bounded log of encoded frames and wakes the connections; each connection sends
// from its own cursor while its unsent bytes stay under a high-water mark, so a slow browser
// never holds up the RunEngine or the other browsers. See websocket-protocol.ts for the wire.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { DocumentCallback, NamedDocument } from "@cerulean/event-model";
import { type WebSocket, WebSocketServer } from "ws";
import { assertWireFormat } from "../codec/document-codec.ts";
import type { DocumentPublisher, WireFormat } from "../document-bus.ts";
import { BusClosedError, BusConfigError } from "../errors.ts";
import { DocumentLog } from "./document-log.ts";
import {
  encodeDocumentFrame,
  encodeNoticeFrame,
  parseSubscriptionRequest,
  type ReplayFrom,
} from "./websocket-protocol.ts";

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Anything with an HTTP 'upgrade' event: http.Server, https.Server. */
export interface UpgradeEmitter {
  on(event: "upgrade", listener: UpgradeListener): unknown;
  off(event: "upgrade", listener: UpgradeListener): unknown;
}

/** An HTTP server, or an object holding one as `server` (a fastify instance). */
export type HttpServerLike = UpgradeEmitter | { server: UpgradeEmitter };

export interface DocumentWebSocketOptions {
  /** The URL path served (default "/api/documents/ws"); other upgrades are left alone. */
  path?: string;
  /** Formats clients may ask for; each document is encoded once per format (default ["json"]). */
  formats?: WireFormat[];
  /** Most documents kept for replay and for slow clients (default 100,000). */
  maxLogDocuments?: number;
  /** Most bytes kept likewise (default 256 MiB). */
  maxLogBytes?: number;
  /** Unsent bytes per connection before it waits for its socket to drain (default 4 MiB). */
  highWaterBytes?: number;
  /** Ping interval; a connection that misses a pong is closed (default 30,000 ms; 0 disables). */
  heartbeatMs?: number;
  /**
   * Whether the upgrade request may read the stream (e.g. the queue server's API key check);
   * a refused client is closed with 4001 "Invalid token". Default: everyone may.
   */
  authorize?: (request: IncomingMessage) => boolean;
}

interface Connection {
  ws: WebSocket;
  format: WireFormat;
  cursor: number;
  inflight: number;
  live: boolean;
  alive: boolean;
}

/**
 * Serves the live documents, with replay of the current run, on an HTTP server.
 * @example
 * const docs = attachDocumentWebSocket(fastify, { formats: ["json", "msgpack"] });
 * RE.subscribe(docs.publish);
 */
export function attachDocumentWebSocket(
  target: HttpServerLike,
  options: DocumentWebSocketOptions = {},
): DocumentWebSocket {
  return new DocumentWebSocket(target, options);
}

/** A document WebSocket endpoint; see attachDocumentWebSocket. */
export class DocumentWebSocket implements DocumentPublisher {
  readonly path: string;
  readonly formats: readonly WireFormat[];
  /** Names this run of the server; seqs are only comparable within one epoch. */
  readonly epoch = randomUUID();
  readonly #server: UpgradeEmitter;
  // Connections are tracked here (with their cursors), so ws need not track them too; that
  // also keeps close() from waiting on clients that never answer the closing handshake.
  readonly #wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: 64 * 1024,
  });
  readonly #log: DocumentLog;
  readonly #connections = new Set<Connection>();
  readonly #highWater: number;
  readonly #heartbeat: NodeJS.Timeout | undefined;
  readonly #authorize: ((request: IncomingMessage) => boolean) | undefined;
  #closed = false;

  constructor(target: HttpServerLike, options: DocumentWebSocketOptions = {}) {
    this.#server = "server" in target ? target.server : target;
    this.path = options.path ?? "/api/documents/ws";
    this.#authorize = options.authorize;
    this.formats = options.formats ?? ["json"];
    if (this.formats.length === 0) {
      throw new BusConfigError("a document WebSocket needs at least one format (json or msgpack)");
    }
    for (const format of this.formats) assertWireFormat(format);
    this.#log = new DocumentLog({
      maxDocuments: options.maxLogDocuments,
      maxBytes: options.maxLogBytes,
    });
    this.#highWater = options.highWaterBytes ?? 4 * 1024 * 1024;
    this.#server.on("upgrade", this.#onUpgrade);
    const heartbeatMs = options.heartbeatMs ?? 30_000;
    if (heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => this.#ping(), heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  /** Open connections. */
  get clients(): number {
    return this.#connections.size;
  }

  /** The seq the next document will get (the `since` that means "from now on"). */
  get nextSeq(): number {
    return this.#log.nextSeq;
  }

  readonly publish: DocumentCallback = (...[name, doc]: NamedDocument): void => {
    if (this.#closed) {
      throw new BusClosedError(`${name} document published to the closed WebSocket ${this.path}`);
    }
    const seq = this.#log.nextSeq;
    const frames: Partial<Record<WireFormat, string | Uint8Array>> = {};
    let bytes = 0;
    for (const format of this.formats) {
      const frame = encodeDocumentFrame(seq, name, doc, format);
      frames[format] = frame;
      bytes += typeof frame === "string" ? frame.length : frame.byteLength;
    }
    this.#log.append(name, frames, bytes);
    for (const connection of this.#connections) this.#pump(connection);
  };

  /** Documents are in the replay log as soon as publish() returns, so this resolves at once. */
  async flush(): Promise<void> {}

  /** Closes every connection (1001, going away) and stops serving the path. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#server.off("upgrade", this.#onUpgrade);
    for (const { ws } of this.#connections) {
      ws.close(1001, "document stream closed");
      // A client that does not read (paused, hung) never completes the closing handshake.
      setTimeout(() => ws.terminate(), 1000).unref();
    }
    this.#connections.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  readonly #onUpgrade: UpgradeListener = (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== this.path || this.#closed) return;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      // Before anything else: a refused client may still send a bad frame before the close
      // completes, and an 'error' with no listener would take the whole server down.
      ws.on("error", () => ws.terminate());
      try {
        if (this.#authorized(request)) this.#accept(ws, url.searchParams);
        else ws.close(4001, "Invalid token");
      } catch {
        // A bug here must cost one connection, never the process serving every other one.
        ws.terminate();
      }
    });
  };

  /** A throwing authorize() refuses the connection rather than crashing the server. */
  #authorized(request: IncomingMessage): boolean {
    if (!this.#authorize) return true;
    try {
      return this.#authorize(request);
    } catch {
      return false;
    }
  }

  #accept(ws: WebSocket, query: URLSearchParams): void {
    let request: ReturnType<typeof parseSubscriptionRequest>;
    try {
      request = parseSubscriptionRequest(query);
      if (!this.formats.includes(request.format)) {
        throw new BusConfigError(
          `format=${request.format} is not served here; expected ${this.formats.join(" or ")}`,
        );
      }
    } catch (error) {
      ws.close(1008, closeReason(error instanceof Error ? error.message : "bad request"));
      return;
    }
    const connection: Connection = {
      ws,
      format: request.format,
      cursor: this.#startSeq(request.from),
      inflight: 0,
      live: false,
      alive: true,
    };
    this.#connections.add(connection);
    if (request.from.kind === "since" && this.#restartedFor(request.from)) {
      // The client resumes from a server that has restarted: it gets all this one holds, and
      // is told that its open runs may never see their stop.
      this.#send(
        connection,
        encodeNoticeFrame(
          {
            type: "gap",
            missed: 0,
            next: connection.cursor,
            reason: "restarted",
            message: `the server restarted: documents sent before (up to seq ${request.from.seq - 1}) are gone, and runs open then may never see their stop`,
          },
          request.format,
        ),
      );
    }
    ws.on("pong", () => {
      connection.alive = true;
    });
    ws.on("close", () => this.#connections.delete(connection));
    ws.on("error", () => this.#connections.delete(connection));
    this.#pump(connection);
  }

  /** True when a resume point comes from another run of the server (seqs started again). */
  #restartedFor(from: { seq: number; epoch?: string }): boolean {
    return from.seq > this.#log.nextSeq || (from.epoch !== undefined && from.epoch !== this.epoch);
  }

  #startSeq(from: ReplayFrom): number {
    switch (from.kind) {
      case "none":
        return this.#log.nextSeq;
      case "all":
        return this.#log.firstSeq;
      case "since":
        return this.#restartedFor(from) ? this.#log.firstSeq : from.seq;
      case "run":
        return this.#log.currentRunSeq ?? this.#log.nextSeq;
    }
  }

  /** Sends what the connection has not had yet, up to its high-water mark. */
  #pump(connection: Connection): void {
    const { ws, format } = connection;
    while (connection.inflight < this.#highWater && connection.cursor < this.#log.nextSeq) {
      if (ws.readyState !== ws.OPEN) return;
      if (connection.cursor < this.#log.firstSeq) {
        const missed = this.#log.firstSeq - connection.cursor;
        connection.cursor = this.#log.firstSeq;
        this.#send(
          connection,
          encodeNoticeFrame(
            {
              type: "gap",
              missed,
              next: connection.cursor,
              reason: "evicted",
              message: `missed ${missed} document${missed === 1 ? "" : "s"}: the connection fell behind the server's replay log, which no longer holds them`,
            },
            format,
          ),
        );
        continue;
      }
      const entry = this.#log.get(connection.cursor++);
      const frame = entry?.frames[format];
      if (frame !== undefined) this.#send(connection, frame);
    }
    if (!connection.live && connection.cursor === this.#log.nextSeq && ws.readyState === ws.OPEN) {
      connection.live = true;
      this.#send(
        connection,
        encodeNoticeFrame({ type: "live", next: connection.cursor, epoch: this.epoch }, format),
      );
    }
  }

  #send(connection: Connection, frame: string | Uint8Array): void {
    const size = typeof frame === "string" ? frame.length : frame.byteLength;
    connection.inflight += size;
    connection.ws.send(frame, (error) => {
      connection.inflight -= size;
      if (error) {
        this.#connections.delete(connection);
        return;
      }
      if (connection.inflight === 0 || connection.inflight < this.#highWater / 2) {
        this.#pump(connection);
      }
    });
  }

  #ping(): void {
    for (const connection of this.#connections) {
      if (!connection.alive) {
        connection.ws.terminate();
        this.#connections.delete(connection);
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }
}

/** Most bytes ws accepts in a close reason (a control frame holds 125, less the 2-byte code). */
const maxCloseReasonBytes = 123;

/** Cuts a close reason to what a close frame holds, by UTF-8 bytes, never inside a character. */
export function closeReason(message: string): string {
  if (Buffer.byteLength(message) <= maxCloseReasonBytes) return message;
  let bytes = 0;
  let end = 0;
  for (const char of message) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxCloseReasonBytes) break;
    bytes += size;
    end += char.length;
  }
  return message.slice(0, end);
}
