// QueueStorage on Redis, so that the state lives where several servers and tools can reach it
// (as bluesky-queueserver keeps it). The manager's storage calls are synchronous, so this store
// answers reads from a mirror loaded at open and sends every write, in order, on one connection;
// `flush()` resolves once Redis has acknowledged them all, and the HTTP layer awaits it before
// replying, so an acknowledged change survives a crash of the server as it does with SQLite.
import { Redis } from "ioredis";
import { QueueServerError, QueueStorageWriteError } from "../../errors.ts";
import type { QueueItem } from "../../types.ts";
import type { QueueStorage } from "../storage.ts";

export interface RedisQueueStorageOptions {
  /** redis://host:port[/db] */
  url: string;
  /** Key prefix, so that several servers can share one Redis (default "cerulean:qs:"). */
  prefix?: string;
}

/** The Redis keys of one server's state. */
function keysOf(prefix: string) {
  return {
    queue: `${prefix}plan_queue`,
    history: `${prefix}plan_history`,
    running: `${prefix}running_plan`,
    records: `${prefix}records`,
  };
}

export class RedisQueueStorage implements QueueStorage {
  readonly #redis: Redis;
  readonly #keys: ReturnType<typeof keysOf>;
  #queue: QueueItem[];
  #history: QueueItem[];
  #running: QueueItem | null;
  readonly #records: Map<string, unknown>;
  #writes: Promise<unknown> = Promise.resolve();
  #failure: Error | undefined;

  private constructor(
    redis: Redis,
    keys: ReturnType<typeof keysOf>,
    state: {
      queue: QueueItem[];
      history: QueueItem[];
      running: QueueItem | null;
      records: Map<string, unknown>;
    },
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#queue = state.queue;
    this.#history = state.history;
    this.#running = state.running;
    this.#records = state.records;
  }

  /** Connects and loads the state stored under the prefix (an empty state if there is none). */
  static async open(options: RedisQueueStorageOptions): Promise<RedisQueueStorage> {
    const keys = keysOf(options.prefix ?? "cerulean:qs:");
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new QueueServerError(
        `cannot reach Redis at "${options.url}" for the queue storage: ${(err as Error).message}`,
      );
    }
    const [queue, history, running, records] = await Promise.all([
      redis.lrange(keys.queue, 0, -1),
      redis.lrange(keys.history, 0, -1),
      redis.get(keys.running),
      redis.hgetall(keys.records),
    ]);
    const parse = (text: string) => JSON.parse(text) as QueueItem;
    return new RedisQueueStorage(redis, keys, {
      queue: queue.map(parse),
      history: history.map(parse),
      running: running === null ? null : (JSON.parse(running) as QueueItem | null),
      records: new Map(Object.entries(records).map(([k, v]) => [k, JSON.parse(v) as unknown])),
    });
  }

  loadQueue(): QueueItem[] {
    return structuredClone(this.#queue);
  }

  saveQueue(items: readonly QueueItem[]): void {
    this.#queue = structuredClone([...items]);
    this.#replaceList(this.#keys.queue, this.#queue);
  }

  pushQueue(item: QueueItem): void {
    this.#queue.push(structuredClone(item));
    this.#write(this.#redis.rpush(this.#keys.queue, JSON.stringify(item)));
  }

  loadHistory(): QueueItem[] {
    return structuredClone(this.#history);
  }

  appendHistory(item: QueueItem): void {
    this.#history.push(structuredClone(item));
    this.#write(this.#redis.rpush(this.#keys.history, JSON.stringify(item)));
  }

  saveHistory(items: readonly QueueItem[]): void {
    this.#history = structuredClone([...items]);
    this.#replaceList(this.#keys.history, this.#history);
  }

  loadRunning(): QueueItem | null {
    return structuredClone(this.#running);
  }

  saveRunning(item: QueueItem | null): void {
    this.#running = structuredClone(item);
    this.#write(this.#redis.set(this.#keys.running, JSON.stringify(item)));
  }

  getRecord<T>(key: string): T | undefined {
    return structuredClone(this.#records.get(key)) as T | undefined;
  }

  setRecord(key: string, value: unknown): void {
    if (value === undefined) {
      this.#records.delete(key);
      this.#write(this.#redis.hdel(this.#keys.records, key));
      return;
    }
    this.#records.set(key, structuredClone(value));
    this.#write(this.#redis.hset(this.#keys.records, key, JSON.stringify(value)));
  }

  /** Resolves once Redis has acknowledged every write so far; rejects if one was lost. */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = undefined;
      throw new QueueStorageWriteError(
        `the queue state was not saved to Redis: ${failure.message}`,
      );
    }
  }

  close(): void {
    void this.#writes.finally(() => this.#redis.quit().catch(() => this.#redis.disconnect()));
  }

  #replaceList(key: string, items: readonly QueueItem[]): void {
    const multi = this.#redis.multi().del(key);
    if (items.length > 0) multi.rpush(key, ...items.map((item) => JSON.stringify(item)));
    this.#write(multi.exec());
  }

  /** Commands go out in call order on one connection; the chain only tracks their replies. */
  #write(reply: Promise<unknown>): void {
    const settled = reply.then(
      () => undefined,
      (err: unknown) => {
        this.#failure ??= err instanceof Error ? err : new Error(String(err));
      },
    );
    this.#writes = Promise.all([this.#writes, settled]);
  }
}
