// A worker in a Redis consumer group: several workers (on any hosts) share a stream, each entry
// going to one of them. Delivery is at-least-once: an entry stays pending until ack(); a worker
// that restarts under the same name first gets its own pending entries back, and entries left
// pending by a worker that died are claimed by the others after `claimIdleMs` (XAUTOCLAIM).
// Entries trimmed before the group got them, or while pending, are reported as gaps.
// A group Redis no longer has (restarted without its data, failed over to a replica that never
// had it) is created again from the beginning of the stream, with a "restarted" gap: whatever
// the stream still holds is delivered (possibly again) rather than skipped, at-least-once as ever.
import type { Redis } from "ioredis";
import type { DocumentGap, GapHandler } from "../document-bus.ts";
import { BusTransportError, DocumentGapError } from "../errors.ts";
import { closeClient, type RedisConnection, redisClient } from "./connection.ts";
import { CREATE_GROUP_SCRIPT, READ_GROUP_SCRIPT } from "./scripts.ts";
import {
  parseEntry,
  type RawEntry,
  readReplyEntries,
  replyArray,
  replyEntries,
  replyText,
  type StreamDocument,
} from "./stream-entry.ts";
import { groupSeqKey, type StreamKeys, type StreamLocation, streamKeys } from "./stream-keys.ts";

export interface RedisGroupConsumerOptions extends StreamLocation {
  redis: RedisConnection;
  /** The consumer group (created when missing). */
  group: string;
  /** This worker's name, stable across restarts so it gets its pending entries back. */
  consumer: string;
  /** Where a newly created group starts: "beginning" of the stream (default) or "live". */
  start?: "beginning" | "live";
  /** Entries pending this long on another worker are taken over (default 60,000 ms). */
  claimIdleMs?: number;
  /** Entries read per request (default 10). */
  batch?: number;
  /** Longest blocking wait before looking for stale entries again (default 5,000 ms). */
  blockMs?: number;
  /** Called for every gap; without it a gap ends the iteration with DocumentGapError. */
  onGap?: GapHandler;
}

/** A document delivered to this worker; ack() once it has been dealt with. */
export interface GroupDocument extends StreamDocument {
  /** Acknowledges the entry: it will not be delivered again. */
  ack(): Promise<void>;
  /** True when it was pending before (redelivered after a restart, or claimed from a dead worker). */
  redelivered: boolean;
}

/**
 * Joins (or creates) a consumer group on the beamline's stream.
 * @example
 * const worker = await openRedisGroupConsumer({ redis: url, beamline: "bl1", group: "fit", consumer: "w1" });
 * for await (const entry of worker) { handle(entry.document); await entry.ack(); }
 */
export async function openRedisGroupConsumer(
  options: RedisGroupConsumerOptions,
): Promise<RedisGroupConsumer> {
  const keys = streamKeys(options);
  const commands = redisClient(options.redis, "commands");
  const blocking = redisClient(options.redis, "blocking");
  try {
    await commands.client.call(
      "EVAL",
      CREATE_GROUP_SCRIPT,
      3,
      keys.stream,
      keys.seq,
      groupSeqKey(keys, options.group),
      options.group,
      options.start ?? "beginning",
    );
  } catch (error) {
    if (commands.owned) closeClient(commands.client);
    closeClient(blocking.client);
    throw new BusTransportError(
      `cannot join consumer group ${options.group} of Redis stream ${keys.stream}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return new RedisGroupConsumer(keys, commands, blocking.client, options);
}

/** A worker of a consumer group; see openRedisGroupConsumer. */
export class RedisGroupConsumer implements AsyncIterable<GroupDocument> {
  readonly keys: StreamKeys;
  readonly group: string;
  readonly consumer: string;
  readonly #commands: Redis;
  readonly #ownsCommands: boolean;
  readonly #blocking: Redis;
  readonly #claimIdleMs: number;
  readonly #batch: number;
  readonly #blockMs: number;
  readonly #onGap: GapHandler | undefined;
  readonly #unacked = new Set<string>();
  #nextClaimAt = 0;
  #claimCursor = "0-0";
  #closed = false;

  /** @internal use openRedisGroupConsumer */
  constructor(
    keys: StreamKeys,
    commands: { client: Redis; owned: boolean },
    blocking: Redis,
    options: RedisGroupConsumerOptions,
  ) {
    this.keys = keys;
    this.group = options.group;
    this.consumer = options.consumer;
    this.#commands = commands.client;
    this.#ownsCommands = commands.owned;
    this.#blocking = blocking;
    this.#claimIdleMs = options.claimIdleMs ?? 60_000;
    this.#batch = options.batch ?? 10;
    this.#blockMs = options.blockMs ?? 5000;
    this.#onGap = options.onGap;
  }

  /** Entries delivered to this worker and not acknowledged yet. */
  get unacked(): number {
    return this.#unacked.size;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GroupDocument> {
    let ownDone = false;
    while (!this.#closed) {
      try {
        if (!ownDone) {
          yield* this.#own();
          ownDone = true;
        } else {
          yield* this.#next();
        }
      } catch (error) {
        if (!isNoGroup(error)) throw error;
        // This worker's own pending entries went with the group.
        ownDone = true;
        await this.#recreate();
      }
    }
  }

  /** One round: stale entries of other workers, or new entries (waiting when there are none). */
  async *#next(): AsyncGenerator<GroupDocument> {
    if (Date.now() >= this.#nextClaimAt) {
      yield* this.#claim();
      return;
    }
    const [entries, missed, lastId] = await this.#readNew();
    for (let i = 0; i < entries.length; i++) {
      const gap = missed[i] ?? 0;
      if (gap > 0) {
        this.#gap({
          reason: "trimmed",
          missed: gap,
          message: `group ${this.group} missed ${gap} document${gap === 1 ? "" : "s"} of ${this.keys.stream}: trimmed from the stream before any worker read them`,
        });
      }
      const delivered = this.#deliver(entries[i]!, false);
      if (delivered) yield delivered;
      if (this.#closed) return;
    }
    if (entries.length === 0) await this.#waitAfter(lastId);
  }

  /** Creates the group again after Redis lost it, and says so. */
  async #recreate(): Promise<void> {
    await this.#call(this.#commands, [
      "EVAL",
      CREATE_GROUP_SCRIPT,
      3,
      this.keys.stream,
      this.keys.seq,
      groupSeqKey(this.keys, this.group),
      this.group,
      "lost",
    ]);
    this.#unacked.clear();
    this.#claimCursor = "0-0";
    this.#gap({
      reason: "restarted",
      missed: undefined,
      message: `consumer group ${this.group} of ${this.keys.stream} was lost (Redis restarted without its data, or failed over): created again from the beginning of the stream, so documents may have been missed, and what the stream still holds is delivered again`,
    });
  }

  /**
   * Acknowledges an entry by id (GroupDocument.ack does this). After close() it does nothing:
   * the entry stays pending and is delivered again, as if this worker had crashed.
   */
  async ack(id: string): Promise<void> {
    if (this.#closed) return;
    await this.#call(this.#commands, ["XACK", this.keys.stream, this.group, id]);
    this.#unacked.delete(id);
  }

  /** Stops reading; unacknowledged entries stay pending for this worker's next run or others. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    closeClient(this.#blocking);
    if (this.#ownsCommands) await this.#commands.quit().catch(() => closeClient(this.#commands));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * This worker's own pending entries: left by a previous run under the same name, or by a
   * `break` out of an earlier iteration.
   */
  async *#own(): AsyncGenerator<GroupDocument> {
    let cursor = "0-0";
    while (!this.#closed) {
      const reply = await this.#call(this.#commands, [
        "XREADGROUP",
        "GROUP",
        this.group,
        this.consumer,
        "COUNT",
        this.#batch,
        "STREAMS",
        this.keys.stream,
        cursor,
      ]);
      const entries = readReplyEntries(reply, "XREADGROUP (pending)");
      if (entries.length === 0) return;
      for (const raw of entries) {
        cursor = raw[0].toString("latin1");
        if (this.#unacked.has(cursor)) continue; // already handed out, not acknowledged yet
        const delivered = await this.#deliverOrDrop(raw);
        if (delivered) yield delivered;
      }
    }
  }

  /** Entries idle too long on other workers, taken over by this one. */
  async *#claim(): AsyncGenerator<GroupDocument> {
    const answer = await this.#call(this.#commands, [
      "XAUTOCLAIM",
      this.keys.stream,
      this.group,
      this.consumer,
      this.#claimIdleMs,
      this.#claimCursor,
      "COUNT",
      this.#batch,
    ]);
    if (this.#closed) return;
    const [next, claimed, deleted] = replyArray(answer, "XAUTOCLAIM");
    this.#claimCursor = replyText(next, "XAUTOCLAIM cursor");
    if (this.#claimCursor === "0-0")
      this.#nextClaimAt = Date.now() + Math.min(this.#claimIdleMs, 5000);
    const gone = Array.isArray(deleted) ? deleted.length : 0;
    if (gone > 0) {
      this.#gap({
        reason: "trimmed",
        missed: gone,
        message: `group ${this.group} lost ${gone} pending document${gone === 1 ? "" : "s"} of ${this.keys.stream}: trimmed from the stream before a worker acknowledged them`,
      });
    }
    for (const raw of replyEntries(claimed, "XAUTOCLAIM entries")) {
      if (this.#unacked.has(raw[0].toString("latin1"))) continue; // ours, still being handled
      const delivered = await this.#deliverOrDrop(raw);
      if (delivered) yield delivered;
    }
  }

  async #readNew(): Promise<[RawEntry[], number[], string]> {
    const answer = await this.#call(this.#commands, [
      "EVAL",
      READ_GROUP_SCRIPT,
      2,
      this.keys.stream,
      groupSeqKey(this.keys, this.group),
      this.group,
      this.consumer,
      this.#batch,
    ]);
    if (this.#closed) return [[], [], "0-0"];
    const [entries, missed, lastId] = replyArray(answer, "the group read");
    return [
      replyEntries(entries, "the group read"),
      replyArray(missed, "the group read").map(Number),
      replyText(lastId, "the group read"),
    ];
  }

  /** Blocks until the stream has an entry after `lastId` (or the wait ends). */
  async #waitAfter(lastId: string): Promise<void> {
    const wait = Math.max(1, Math.min(this.#blockMs, this.#nextClaimAt - Date.now()));
    await this.#call(this.#blocking, [
      "XREAD",
      "COUNT",
      1,
      "BLOCK",
      wait,
      "STREAMS",
      this.keys.stream,
      lastId,
    ]);
  }

  /** Delivers a pending entry, or acknowledges and reports one whose document is gone. */
  async #deliverOrDrop(raw: RawEntry): Promise<GroupDocument | undefined> {
    const id = raw[0].toString("latin1");
    if (raw[1] !== null) return this.#deliver(raw, true);
    await this.#call(this.#commands, ["XACK", this.keys.stream, this.group, id]);
    this.#gap({
      reason: "trimmed",
      missed: 1,
      message: `pending entry ${id} of ${this.keys.stream} was trimmed from the stream before this worker acknowledged it`,
    });
    return undefined;
  }

  #deliver(raw: RawEntry, redelivered: boolean): GroupDocument | undefined {
    const id = raw[0].toString("latin1");
    let entry: StreamDocument;
    try {
      entry = parseEntry(raw);
    } catch (error) {
      void this.ack(id).catch(() => undefined);
      this.#gap({
        reason: "undecodable",
        missed: 1,
        message: `skipped stream entry ${id}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return undefined;
    }
    this.#unacked.add(id);
    return { ...entry, redelivered, ack: () => this.ack(id) };
  }

  async #call(client: Redis, args: (string | number)[]): Promise<unknown> {
    const [command, ...rest] = args;
    try {
      return await client.callBuffer(String(command), ...rest);
    } catch (error) {
      if (this.#closed) return null;
      throw new BusTransportError(
        `${String(command)} on ${this.keys.stream} (group ${this.group}, consumer ${this.consumer}) failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  #gap(gap: DocumentGap): void {
    if (!this.#onGap) throw new DocumentGapError(gap);
    this.#onGap(gap);
  }
}

/** True for Redis's NOGROUP answer (the group, or the stream, no longer exists). */
function isNoGroup(error: unknown): boolean {
  const cause = error instanceof BusTransportError ? error.cause : error;
  return cause instanceof Error && cause.message.startsWith("NOGROUP");
}
