import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { Redis } from "ioredis";
import type { DocumentGap } from "../../src/document-bus.ts";
import {
  type GroupDocument,
  openRedisGroupConsumer,
  type RedisGroupConsumer,
  type RedisGroupConsumerOptions,
} from "../../src/redis/redis-group-consumer.ts";
import { openRedisPublisher } from "../../src/redis/redis-publisher.ts";
import { groupSeqKey, streamKeys } from "../../src/redis/stream-keys.ts";
import { gaussianScanDocuments } from "../../src/testing/gaussian-scan.ts";
import { type RedisServer, startRedisServer } from "../../src/testing/redis-server.ts";

let redis: RedisServer;
let beamlines = 0;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis.stop();
});

async function publishAll(beamline: string, docs: NamedDocument[], maxLength?: number) {
  const publisher = await openRedisPublisher({
    redis: redis.url,
    beamline,
    maxLength,
    exactTrim: true,
  });
  for (const named of docs) publisher.publish(...named);
  await publisher.close();
}

function worker(
  beamline: string,
  consumer: string,
  extra: Partial<RedisGroupConsumerOptions> = {},
) {
  return openRedisGroupConsumer({
    redis: redis.url,
    beamline,
    group: "fit",
    consumer,
    batch: 5,
    ...extra,
  });
}

/** Takes `count` deliveries from a worker, acknowledging them unless told not to. */
async function take(
  consumer: RedisGroupConsumer,
  count: number,
  ack = true,
): Promise<GroupDocument[]> {
  const out: GroupDocument[] = [];
  for await (const entry of consumer) {
    if (ack) await entry.ack();
    out.push(entry);
    if (out.length === count) break;
  }
  return out;
}

describe("Redis consumer groups: workers sharing a stream", { timeout: 20_000 }, () => {
  it("gives each document to exactly one of two workers", async () => {
    const beamline = `groups-${++beamlines}`;
    const a = await worker(beamline, "a");
    const b = await worker(beamline, "b");
    const docs = gaussianScanDocuments({ points: 37 }); // 40 documents
    await publishAll(beamline, docs);
    const seqs = { a: [] as number[], b: [] as number[] };
    for (let round = 0; round < 4; round++) {
      for (const e of await take(a, 5)) seqs.a.push(e.seq!);
      for (const e of await take(b, 5)) seqs.b.push(e.seq!);
    }
    strictEqual(seqs.a.length, 20);
    strictEqual(seqs.b.length, 20);
    deepStrictEqual(
      [...seqs.a, ...seqs.b].sort((x, y) => x - y),
      docs.map((_, i) => i + 1),
    );
    await Promise.all([a.close(), b.close()]);
  });

  it("a worker that crashes gets its unacknowledged documents back when it restarts", async () => {
    const beamline = `groups-${++beamlines}`;
    const docs = gaussianScanDocuments({ points: 7 });
    const first = await worker(beamline, "w1");
    await publishAll(beamline, docs);
    const unacked = await take(first, 3, false);
    await first.close(); // the crash: three documents pending, never acknowledged
    const restarted = await worker(beamline, "w1");
    const again = await take(restarted, docs.length);
    deepStrictEqual(
      again.slice(0, 3).map((e) => [e.id, e.redelivered]),
      unacked.map((e) => [e.id, true]),
    );
    deepStrictEqual(
      again.map((e) => e.document),
      docs,
    );
    const client = new Redis(redis.url);
    const [pending] = (await client.call("XPENDING", restarted.keys.stream, "fit")) as [number];
    strictEqual(pending, 0);
    client.disconnect();
    await restarted.close();
  });

  it("documents pending on a dead worker are taken over by another after claimIdleMs", async () => {
    const beamline = `groups-${++beamlines}`;
    const docs = gaussianScanDocuments({ points: 3 });
    const dead = await worker(beamline, "dead", { batch: 2 });
    await publishAll(beamline, docs);
    const lost = await take(dead, 2, false);
    await dead.close();
    const survivor = await worker(beamline, "survivor", { claimIdleMs: 50 });
    const got = await take(survivor, docs.length);
    deepStrictEqual(
      got.map((e) => e.document).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      [...docs].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    );
    const claimed = got.filter((e) => e.redelivered).map((e) => e.id);
    deepStrictEqual(claimed.sort(), lost.map((e) => e.id).sort());
    await survivor.close();
  });

  it("reports documents trimmed from the stream before any worker read them", async () => {
    const beamline = `groups-${++beamlines}`;
    const gaps: DocumentGap[] = [];
    const late = await worker(beamline, "late", { onGap: (g) => gaps.push(g) });
    const docs = gaussianScanDocuments({ points: 27 }); // 30 documents, 10 kept
    await publishAll(beamline, docs, 10);
    const got = await take(late, 10);
    deepStrictEqual(
      got.map((e) => e.document),
      docs.slice(20),
    );
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["trimmed", 20]],
    );
    await late.close();
  });

  it("a group created live skips what the stream already held", async () => {
    const beamline = `groups-${++beamlines}`;
    await publishAll(beamline, gaussianScanDocuments({ points: 2 }));
    const live = await worker(beamline, "w", { start: "live" });
    const docs = gaussianScanDocuments({ points: 2 });
    await publishAll(beamline, docs);
    const got = await take(live, docs.length);
    deepStrictEqual(
      got.map((e) => e.document),
      docs,
    );
    ok(got.every((e) => !e.redelivered));
    await live.close();
  });

  it("a group Redis lost is created again, with a 'restarted' gap, and the worker goes on", async () => {
    const beamline = `groups-${++beamlines}`;
    const gaps: DocumentGap[] = [];
    const w = await worker(beamline, "w", { blockMs: 20, onGap: (g) => gaps.push(g) });
    const iterator = w[Symbol.asyncIterator]();
    const before = gaussianScanDocuments({ points: 2 });
    await publishAll(beamline, before);
    for (const named of before) {
      const { value } = await iterator.next();
      deepStrictEqual(value?.document, named);
      await value?.ack();
    }
    // Redis restarts without its data: the stream, its counters and the group are gone.
    const admin = new Redis(redis.url);
    const keys = streamKeys({ beamline });
    await admin.call("DEL", ...Object.values(keys), groupSeqKey(keys, "fit"));
    admin.disconnect();
    const after = gaussianScanDocuments({ points: 2 });
    await publishAll(beamline, after);
    for (const named of after) {
      const { value } = await iterator.next();
      deepStrictEqual(value?.document, named);
      await value?.ack();
    }
    deepStrictEqual(
      gaps.map((g) => g.reason),
      ["restarted"],
    );
    ok(gaps[0]?.message.includes("consumer group fit"), gaps[0]?.message);
    await iterator.return?.();
    await w.close();
  });
});
