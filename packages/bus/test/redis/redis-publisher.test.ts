import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout } from "node:timers/promises";
import type { NamedDocument } from "@cerulean/event-model";
import { Redis } from "ioredis";
import { decodeBody } from "../../src/codec/document-codec.ts";
import { type BusError, DocumentsDroppedError } from "../../src/errors.ts";
import { openRedisPublisher } from "../../src/redis/redis-publisher.ts";
import { streamKeys } from "../../src/redis/stream-keys.ts";
import { type RedisServer, startRedisServer } from "../../src/testing/redis-server.ts";

let redis: RedisServer;
let admin: Redis;
before(async () => {
  redis = await startRedisServer();
  admin = new Redis(redis.url);
  await admin.call("PING");
});
after(async () => {
  admin.disconnect();
  await redis.stop();
});

/** A TCP relay to Redis that can swallow Redis's answers (while `muted`). */
async function lossyLink(redisPort: number) {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(redisPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (!link.muted) client.write(chunk);
    });
    for (const socket of pair) {
      socket.on("error", () => undefined);
      socket.on("close", () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const link = {
    port: (server.address() as AddressInfo).port,
    muted: false,
    /** Drops every connection; the next ones relay normally. */
    cut(): void {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      link.muted = false;
    },
    async [Symbol.asyncDispose](): Promise<void> {
      link.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return link;
}

function events(count: number, from = 0): NamedDocument[] {
  return Array.from({ length: count }, (_, i) => [
    "event",
    {
      uid: `e${from + i}`,
      descriptor: "d",
      seq_num: from + i + 1,
      time: 1,
      data: { x: i },
      timestamps: { x: 1 },
      filled: {},
    },
  ]);
}

/** Every entry of the stream: [seq, event uid]. */
async function entries(beamline: string): Promise<[number, string][]> {
  const raw = (await admin.callBuffer("XRANGE", streamKeys({ beamline }).stream, "-", "+")) as [
    Buffer,
    Buffer[],
  ][];
  return raw.map(([, fields]) => {
    const get = (key: string) => fields[fields.findIndex((f) => f.toString() === key) + 1];
    const doc = decodeBody(get("doc") as Buffer, "msgpack") as { uid: string };
    return [Number(get("seq")?.toString()), doc.uid];
  });
}

describe("the Redis publisher", { timeout: 20_000 }, () => {
  it("stores every document exactly once, in order, when its connection drops mid-publish", async () => {
    const beamline = "killed";
    await using link = await lossyLink(redis.port);
    const errors: string[] = [];
    const publisher = await openRedisPublisher({
      redis: `redis://127.0.0.1:${link.port}`,
      beamline,
      maxLength: null,
      onError: (e) => errors.push(e.message),
    });
    const docs = events(4000);
    // Redis runs these, but its answers are lost with the connection: ioredis resends every
    // command it has no answer for once it has reconnected.
    link.muted = true;
    for (const named of docs.slice(0, 2000)) publisher.publish(...named);
    const stream = streamKeys({ beamline }).stream;
    while ((await admin.call("XLEN", stream)) !== 2000) await setTimeout(5);
    await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    link.muted = false;
    for (const named of docs.slice(2000)) publisher.publish(...named);
    await publisher.close();
    deepStrictEqual(errors, []);
    const stored = await entries(beamline);
    strictEqual(stored.length, docs.length);
    deepStrictEqual(
      stored.map(([, uid]) => uid),
      docs.map(([, doc]) => (doc as { uid: string }).uid),
    );
    deepStrictEqual(
      stored.map(([seq]) => seq),
      docs.map((_, i) => i + 1),
    );
    // A cleanly closed publisher leaves nothing in the deduplication hash.
    strictEqual(await admin.call("HEXISTS", streamKeys({ beamline }).publishers, publisher.id), 0);
  });

  it("bounds the bytes waiting for Redis (maxPendingBytes), dropping and reporting past it", async () => {
    const beamline = "bytes";
    await using link = await lossyLink(redis.port);
    const errors: BusError[] = [];
    const publisher = await openRedisPublisher({
      redis: `redis://127.0.0.1:${link.port}`,
      beamline,
      maxPendingBytes: 100_000,
      onError: (e) => errors.push(e),
    });
    // Redis stops answering: 20 documents of ~10 kB, twice what may wait.
    link.muted = true;
    const big = events(20).map(([name, doc]): NamedDocument => {
      return [name, { ...doc, data: { x: "x".repeat(10_000) } }] as NamedDocument;
    });
    for (const named of big) publisher.publish(...named);
    ok(publisher.pendingBytes <= 100_000, `${publisher.pendingBytes} bytes wait`);
    ok(publisher.pending >= 8 && publisher.pending < 20, `${publisher.pending} documents wait`);
    const [first] = errors;
    ok(first instanceof DocumentsDroppedError, String(first));
    ok(first.message.includes("bytes wait for Redis"), first.message);
    const accepted = publisher.pending;
    // Redis answers again: what waited is stored, once; the rest of the drops are counted.
    await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    link.muted = false;
    await publisher.close().catch(() => undefined);
    strictEqual(publisher.pendingBytes, 0);
    strictEqual((await entries(beamline)).length, accepted);
    const dropped = errors.reduce(
      (n, e) => n + (e instanceof DocumentsDroppedError ? e.dropped : 0),
      0,
    );
    strictEqual(dropped, 20 - accepted);
  });

  it("two publishers on one stream do not take each other's documents for resends", async () => {
    const beamline = "two";
    const a = await openRedisPublisher({ redis: redis.url, beamline });
    const b = await openRedisPublisher({ redis: redis.url, beamline });
    ok(a.id !== b.id);
    for (const named of events(5)) a.publish(...named);
    await a.flush();
    for (const named of events(5, 5)) b.publish(...named);
    await Promise.all([a.close(), b.close()]);
    strictEqual((await entries(beamline)).length, 10);
  });
});
