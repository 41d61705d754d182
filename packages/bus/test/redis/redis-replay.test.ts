import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { Redis } from "ioredis";
import type { DocumentGap } from "../../src/document-bus.ts";
import { BusConfigError } from "../../src/errors.ts";
import { openRedisPublisher, type RedisPublisherOptions } from "../../src/redis/redis-publisher.ts";
import { openRedisSubscriber, type RedisSubscriber } from "../../src/redis/redis-subscriber.ts";
import { streamKeys } from "../../src/redis/stream-keys.ts";
import { collect } from "../../src/testing/bus-contract.ts";
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

async function publishAll(
  docs: NamedDocument[],
  options: Partial<RedisPublisherOptions> & { beamline: string },
) {
  const publisher = await openRedisPublisher({ redis: redis.url, ...options });
  for (const named of docs) publisher.publish(...named);
  await publisher.close();
}

async function read(subscriber: RedisSubscriber, count: number) {
  const out: string[] = [];
  for await (const entry of subscriber.entries()) {
    out.push(entry.id);
    if (out.length === count) break;
  }
  return out;
}

describe("Redis Streams: replay from any point", { timeout: 20_000 }, () => {
  it("a late joiner gets the whole current run, not the runs before it", async () => {
    const beamline = `replay-${++beamlines}`;
    const earlier = gaussianScanDocuments({ points: 4 });
    const current = gaussianScanDocuments({ points: 5 });
    await publishAll([...earlier, ...current.slice(0, 3)], { beamline });
    const late = await openRedisSubscriber({ redis: redis.url, beamline, from: "current-run" });
    await publishAll(current.slice(3), { beamline });
    const received = await collect(late, "stop");
    deepStrictEqual(received, current);
    assertValidStream(received);
    await late.close();
  });

  it("replays a run by its uid, from its start document", async () => {
    const beamline = `replay-${++beamlines}`;
    const first = gaussianScanDocuments({ points: 3 });
    await publishAll([...first, ...gaussianScanDocuments({ points: 2 })], { beamline });
    const uid = (first[0]![1] as { uid: string }).uid;
    const reader = await openRedisSubscriber({ redis: redis.url, beamline, from: { run: uid } });
    deepStrictEqual(await collect(reader, "stop"), first);
    await reader.close();
    await rejects(
      openRedisSubscriber({ redis: redis.url, beamline, from: { run: "no-such-run" } }),
      (error: unknown) => error instanceof BusConfigError && error.message.includes("no-such-run"),
    );
  });

  it("a reader resumes after the last entry it read, losing nothing", async () => {
    const beamline = `replay-${++beamlines}`;
    const docs = gaussianScanDocuments({ points: 8 });
    await publishAll(docs.slice(0, 6), { beamline });
    const first = await openRedisSubscriber({ redis: redis.url, beamline, from: "beginning" });
    const ids = await read(first, 4);
    await first.close();
    await publishAll(docs.slice(6), { beamline });
    const resumed = await openRedisSubscriber({
      redis: redis.url,
      beamline,
      from: { after: ids.at(-1)!, seq: 4 },
    });
    deepStrictEqual(await collect(resumed, "stop"), docs.slice(4));
    await resumed.close();
  });

  it("a consumer that falls behind the stream's retention is told exactly how much was trimmed", async () => {
    const beamline = `replay-${++beamlines}`;
    const docs = gaussianScanDocuments({ points: 27 }); // 30 documents
    await publishAll(docs, { beamline, maxLength: 10, exactTrim: true });
    const gaps: DocumentGap[] = [];
    const reader = await openRedisSubscriber({
      redis: redis.url,
      beamline,
      from: "beginning",
      onGap: (g) => gaps.push(g),
    });
    deepStrictEqual(await collect(reader, "stop"), docs.slice(20));
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["trimmed", 20]],
    );
    await reader.close();
  });

  it("a seq that goes back (Redis lost its data) is reported as a 'restarted' gap", async () => {
    const beamline = `replay-${++beamlines}`;
    const gaps: DocumentGap[] = [];
    const reader = await openRedisSubscriber({
      redis: redis.url,
      beamline,
      blockMs: 20,
      onGap: (g) => gaps.push(g),
    });
    const before = gaussianScanDocuments({ points: 2 });
    await publishAll(before, { beamline });
    deepStrictEqual(await collect(reader, "stop"), before);
    // Redis restarts without its data: the stream and its seq counter are gone.
    const admin = new Redis(redis.url);
    const keys = streamKeys({ beamline });
    await admin.call("DEL", ...Object.values(keys));
    admin.disconnect();
    const after = gaussianScanDocuments({ points: 2 });
    await publishAll(after, { beamline });
    deepStrictEqual(await collect(reader, "stop"), after);
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["restarted", undefined]],
    );
    ok(gaps[0]?.message.includes("went back"), gaps[0]?.message);
    await reader.close();
  });

  it("keeps retention bounded: about maxLength entries and maxRuns runs in the index", async () => {
    const beamline = `replay-${++beamlines}`;
    const runs = [1, 2, 3].map(() => gaussianScanDocuments({ points: 400 }));
    const publisher = await openRedisPublisher({
      redis: redis.url,
      beamline,
      maxLength: 300,
      maxRuns: 2,
    });
    for (const run of runs) for (const named of run) publisher.publish(...named);
    await publisher.close();
    const client = new Redis(redis.url);
    const length = Number(await client.call("XLEN", publisher.keys.stream));
    ok(length >= 300 && length < 300 + 200, `stream length ${length}, expected about 300`);
    strictEqual(Number(await client.call("HLEN", publisher.keys.runs)), 2);
    const oldest = (runs[0]![0]![1] as { uid: string }).uid;
    strictEqual(await client.call("HGET", publisher.keys.runs, oldest), null);
    client.disconnect();
  });

  it("starts live by default: only documents published after it opened", async () => {
    const beamline = `replay-${++beamlines}`;
    await publishAll(gaussianScanDocuments({ points: 2 }), { beamline });
    const live = await openRedisSubscriber({ redis: redis.url, beamline });
    const docs = gaussianScanDocuments({ points: 2 });
    await publishAll(docs, { beamline });
    deepStrictEqual(await collect(live, "stop"), docs);
    await live.close();
  });
});
