// Publishes every document to the beamline's Redis stream. One atomic script per document
// numbers it (seq), appends it (XADD, trimmed to a bounded length with MAXLEN ~) and, for a
// start document, records where the run begins, so late joiners can replay the current run.
// publish() returns at once; ioredis pipelines the commands in order. After a dropped
// connection ioredis resends the commands it had no answer for, some of which Redis may have
// run: each carries the publisher's id and counter, and the script skips a counter it has
// stored, so every document lands exactly once.
import { randomUUID } from "node:crypto";
import type { DocumentCallback, NamedDocument } from "@cerulean/event-model";
import type { Redis } from "ioredis";
import { assertWireFormat, encodeBody } from "../codec/document-codec.ts";
import type { DocumentPublisher, WireFormat } from "../document-bus.ts";
import { DropReporter } from "../drop-reporter.ts";
import { BusClosedError, type BusError, BusTransportError } from "../errors.ts";
import { closeClient, type RedisConnection, redisClient } from "./connection.ts";
import { PUBLISH_SCRIPT } from "./scripts.ts";
import { type StreamKeys, type StreamLocation, streamKeys } from "./stream-keys.ts";

export interface RedisPublisherOptions extends StreamLocation {
  redis: RedisConnection;
  /** Body encoding (default "msgpack"). */
  format?: WireFormat;
  /** Entries kept in the stream (default 100,000); null keeps everything. */
  maxLength?: number | null;
  /** Trim to exactly maxLength (slower) instead of Redis's cheaper "about" (default false). */
  exactTrim?: boolean;
  /** Runs kept in the run index (default 10,000). */
  maxRuns?: number;
  /** Documents waiting for Redis before new ones are dropped (default 100,000). */
  maxPending?: number;
  /** Most bytes of documents waiting likewise (default 256 MiB). */
  maxPendingBytes?: number;
  /** Failed or dropped documents; default: process.emitWarning. */
  onError?: (error: BusError) => void;
}

/**
 * Opens a publisher on the beamline's stream.
 * @example
 * const pub = await openRedisPublisher({ redis: "redis://127.0.0.1:6379", beamline: "bl1" });
 * RE.subscribe(pub.publish);
 */
export async function openRedisPublisher(options: RedisPublisherOptions): Promise<RedisPublisher> {
  const publisher = new RedisPublisher(options);
  await publisher.ready();
  return publisher;
}

/** Writes documents to a Redis stream; see openRedisPublisher. */
export class RedisPublisher implements DocumentPublisher {
  readonly keys: StreamKeys;
  /** Names this publisher in the stream's deduplication hash. */
  readonly id = randomUUID();
  #counter = 0;
  readonly #client: Redis;
  readonly #owned: boolean;
  readonly #format: WireFormat;
  readonly #trimArgs: [string, string];
  readonly #maxRuns: string;
  readonly #maxPending: number;
  readonly #maxPendingBytes: number;
  readonly #onError: (error: BusError) => void;
  #pending = 0;
  #pendingBytes = 0;
  readonly #drops: DropReporter;
  #firstError: BusError | undefined;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: RedisPublisherOptions) {
    this.keys = streamKeys(options);
    const { client, owned } = redisClient(options.redis, "commands");
    this.#client = client;
    this.#owned = owned;
    this.#format = options.format ?? "msgpack";
    assertWireFormat(this.#format);
    const maxLength = options.maxLength === undefined ? 100_000 : options.maxLength;
    this.#trimArgs = [maxLength === null ? "" : String(maxLength), options.exactTrim ? "=" : "~"];
    this.#maxRuns = String(options.maxRuns ?? 10_000);
    this.#maxPending = options.maxPending ?? 100_000;
    this.#maxPendingBytes = options.maxPendingBytes ?? 256 * 1024 * 1024;
    this.#onError =
      options.onError ?? ((error) => process.emitWarning(error.message, { type: error.name }));
    this.#drops = new DropReporter(
      () =>
        `Redis publisher on ${this.keys.stream} (${this.#pending} documents, ${this.#pendingBytes} bytes wait for Redis)`,
      (error) => this.#report(error),
    );
  }

  /** Resolves when Redis answers (fails with BusTransportError when it cannot be reached). */
  async ready(): Promise<void> {
    try {
      await this.#client.call("PING");
    } catch (error) {
      if (this.#owned) closeClient(this.#client);
      throw new BusTransportError(
        `cannot reach Redis for stream ${this.keys.stream}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  readonly publish: DocumentCallback = (...[name, doc]: NamedDocument): void => {
    if (this.#closed) {
      throw new BusClosedError(
        `${name} document published to the closed Redis publisher on ${this.keys.stream}`,
      );
    }
    const body = Buffer.from(encodeBody(doc, this.#format));
    const size = body.byteLength;
    if (this.#pending >= this.#maxPending || this.#pendingBytes + size > this.#maxPendingBytes) {
      this.#drops.drop(name);
      return;
    }
    this.#drops.settle();
    const runUid = name === "start" ? doc.uid : "";
    const k = this.keys;
    this.#pending++;
    this.#pendingBytes += size;
    this.#client
      .call(
        "EVAL",
        PUBLISH_SCRIPT,
        6,
        k.stream,
        k.seq,
        k.runs,
        k.runOrder,
        k.currentRun,
        k.publishers,
        ...this.#trimArgs,
        name,
        body,
        this.#format,
        runUid,
        this.#maxRuns,
        this.id,
        String(++this.#counter),
      )
      .then(
        () => this.#settle(size),
        (error: unknown) => {
          this.#report(
            new BusTransportError(
              `Redis publisher on ${this.keys.stream} could not append a ${name} document: ${error instanceof Error ? error.message : String(error)}`,
              { cause: error },
            ),
          );
          this.#settle(size);
        },
      );
  };

  /** Documents sent to Redis and not yet confirmed. */
  get pending(): number {
    return this.#pending;
  }

  /** Bytes of the documents sent to Redis and not yet confirmed. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Resolves when Redis has confirmed every document; rejects with the first failure since the last flush. */
  async flush(): Promise<void> {
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    const error = this.#firstError;
    this.#firstError = undefined;
    if (error) throw error;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#drops.settle();
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      // Every command has its answer: nothing can be resent, the counter need not be kept.
      await this.#client.call("HDEL", this.keys.publishers, this.id).catch(() => undefined);
      if (this.#owned) await this.#client.quit().catch(() => closeClient(this.#client));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #settle(size: number): void {
    this.#pending--;
    this.#pendingBytes -= size;
    if (this.#pending === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #report(error: BusError): void {
    this.#firstError ??= error;
    this.#onError(error);
  }
}
