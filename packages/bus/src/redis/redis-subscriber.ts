// Reads a beamline's Redis stream live or from any point: the current run (a late joiner gets it
// whole), a given run, the beginning, or after an entry id (resume). Reading is pull-based, so a
// slow consumer only lags: Redis keeps the entries. Entries trimmed before they were read show
// as a jump in their seq numbers and become a gap notice with the exact count.
import type { NamedDocument } from "@cerulean/event-model";
import type { Redis } from "ioredis";
import type { DocumentGap, DocumentSubscriber, SubscriberOptions } from "../document-bus.ts";
import { BusConfigError, BusTransportError, DocumentGapError } from "../errors.ts";
import { closeClient, type RedisConnection, redisClient } from "./connection.ts";
import { POSITION_SCRIPT } from "./scripts.ts";
import {
  parseEntry,
  readReplyEntries,
  replyArray,
  replyText,
  type StreamDocument,
} from "./stream-entry.ts";
import {
  previousEntryId,
  type StreamKeys,
  type StreamLocation,
  streamKeys,
} from "./stream-keys.ts";

/** Where reading starts. */
export type StreamStart =
  /** Only documents published from now on. */
  | "live"
  /** From the start document of the latest run (live when there is none). */
  | "current-run"
  /** From the oldest entry the stream still holds. */
  | "beginning"
  /** From the start document of a given run. */
  | { run: string }
  /** After a given entry id (resume where a previous reader stopped); `seq` is that entry's. */
  | { after: string; seq?: number };

export interface RedisSubscriberOptions extends StreamLocation, SubscriberOptions {
  redis: RedisConnection;
  /** Default "live". */
  from?: StreamStart;
  /** Entries fetched per read (default 100). */
  batch?: number;
  /** How long one blocking read waits before it is renewed (default 5,000 ms). */
  blockMs?: number;
}

/**
 * Opens a reader of the beamline's stream; it knows where it starts once this resolves.
 * @example
 * const sub = await openRedisSubscriber({ redis: url, beamline: "bl1", from: "current-run" });
 * for await (const [name, doc] of sub) plot(name, doc);
 */
export async function openRedisSubscriber(
  options: RedisSubscriberOptions,
): Promise<RedisSubscriber> {
  const keys = streamKeys(options);
  const { client, owned } = redisClient(options.redis, "blocking");
  try {
    const [after, seq] = await startPosition(client, keys, options.from ?? "live");
    return new RedisSubscriber(client, owned, keys, { ...options, after, seq });
  } catch (error) {
    if (owned) closeClient(client);
    if (error instanceof BusConfigError) throw error;
    throw new BusTransportError(
      `cannot open a reader of Redis stream ${keys.stream}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** The entry id to read after and the seq expected before the first entry (undefined: unknown). */
async function startPosition(
  client: Redis,
  keys: StreamKeys,
  from: StreamStart,
): Promise<[string, number | undefined]> {
  if (from === "beginning") return ["0-0", 0];
  if (typeof from === "object" && "after" in from) return [from.after, from.seq];
  if (from === "live" || from === "current-run") {
    if (from === "current-run") {
      const current = await client.call("GET", keys.currentRun);
      if (current !== null) {
        const [, id, seq] = replyText(current, "the current run").split(" ");
        return [previousEntryId(id ?? ""), Number(seq) - 1];
      }
    }
    const [id, seq] = replyArray(
      await client.call("EVAL", POSITION_SCRIPT, 2, keys.stream, keys.seq),
      "the stream position",
    );
    return [replyText(id, "the last entry id"), Number(seq)];
  }
  const where = await client.call("HGET", keys.runs, from.run);
  if (where === null) {
    throw new BusConfigError(
      `run ${from.run} is not in the run index of ${keys.stream} (never published there, or older than the runs the index keeps)`,
    );
  }
  const [id, seq] = replyText(where, "the run index").split(" ");
  return [previousEntryId(id ?? ""), Number(seq) - 1];
}

/** A reader of a Redis document stream; see openRedisSubscriber. */
export class RedisSubscriber implements DocumentSubscriber {
  readonly keys: StreamKeys;
  readonly #client: Redis;
  readonly #owned: boolean;
  readonly #batch: number;
  readonly #blockMs: number;
  readonly #onGap: SubscriberOptions["onGap"];
  #lastId: string;
  #lastSeq: number | undefined;
  #closed = false;

  /** @internal use openRedisSubscriber */
  constructor(
    client: Redis,
    owned: boolean,
    keys: StreamKeys,
    options: RedisSubscriberOptions & { after: string; seq: number | undefined },
  ) {
    this.#client = client;
    this.#owned = owned;
    this.keys = keys;
    this.#batch = options.batch ?? 100;
    this.#blockMs = options.blockMs ?? 5000;
    this.#onGap = options.onGap;
    this.#lastId = options.after;
    this.#lastSeq = options.seq;
  }

  /** The id of the last entry read: pass it as `from: { after }` to resume. */
  get lastId(): string {
    return this.#lastId;
  }

  /** Documents with their entry ids and seq numbers. */
  async *entries(): AsyncGenerator<StreamDocument> {
    while (!this.#closed) {
      let reply: unknown;
      try {
        reply = await this.#client.callBuffer(
          "XREAD",
          "COUNT",
          this.#batch,
          "BLOCK",
          this.#blockMs,
          "STREAMS",
          this.keys.stream,
          this.#lastId,
        );
      } catch (error) {
        if (this.#closed) return;
        throw new BusTransportError(
          `reading Redis stream ${this.keys.stream} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      for (const raw of readReplyEntries(reply, `XREAD ${this.keys.stream}`)) {
        this.#lastId = raw[0].toString("latin1");
        let entry: StreamDocument;
        try {
          entry = parseEntry(raw);
        } catch (error) {
          this.#gap({
            reason: "undecodable",
            missed: 1,
            message: `skipped stream entry ${this.#lastId}: ${error instanceof Error ? error.message : String(error)}`,
          });
          continue;
        }
        this.#checkSeq(entry);
        yield entry;
        if (this.#closed) return;
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<NamedDocument> {
    for await (const entry of this.entries()) yield entry.document;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) closeClient(this.#client);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #checkSeq(entry: StreamDocument): void {
    const { seq } = entry;
    if (seq === undefined) return;
    const last = this.#lastSeq;
    const expected = last === undefined ? seq : last + 1;
    this.#lastSeq = seq;
    if (last !== undefined && seq <= last) {
      // The counter started again: Redis lost its data (restart without persistence, failover).
      this.#gap({
        reason: "restarted",
        missed: undefined,
        message: `the seq of ${this.keys.stream} went back from ${last} to ${seq}: Redis lost its data (restarted or failed over), so documents published before may be gone, and runs open then may never see their stop`,
      });
      return;
    }
    if (seq <= expected) return;
    const missed = seq - expected;
    this.#gap({
      reason: "trimmed",
      missed,
      message: `missed ${missed} document${missed === 1 ? "" : "s"} of ${this.keys.stream} (seq ${expected} to ${seq - 1}): trimmed from the stream (its maximum length) before they were read`,
    });
  }

  #gap(gap: DocumentGap): void {
    if (!this.#onGap) throw new DocumentGapError(gap);
    this.#onGap(gap);
  }
}
