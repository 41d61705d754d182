// The distributed-analysis example, run for real: redis-server, worker child processes, scans.
import { ok, strictEqual } from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import { Redis } from "ioredis";
import {
  publishScansAndCollect,
  spawnWorker,
  stopWorker,
  type WorkerProcess,
} from "../../examples/distributed-analysis/distributed-analysis.ts";
import { streamKeys } from "../../src/redis/stream-keys.ts";
import { type RedisServer, startRedisServer } from "../../src/testing/redis-server.ts";

let redis: RedisServer;
const workers: WorkerProcess[] = [];
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await Promise.all(workers.map(stopOrKill));
  await redis.stop();
});

/** Stops a worker (SIGTERM); one still running 10 s later is killed, so that none outlives the file. */
async function stopOrKill(worker: WorkerProcess): Promise<void> {
  const timer = setTimeout(() => worker.child.kill("SIGKILL"), 10_000);
  try {
    await stopWorker(worker);
  } finally {
    clearTimeout(timer);
  }
}

async function pending(beamline: string): Promise<number> {
  const client = new Redis(redis.url);
  const [count] = (await client.call("XPENDING", streamKeys({ beamline }).stream, "peak-fit")) as [
    number,
  ];
  client.disconnect();
  return count;
}

/** Waits until the group has been given every entry and has acknowledged them all. */
async function drained(beamline: string): Promise<void> {
  const client = new Redis(redis.url);
  const end = Date.now() + 20_000;
  for (;;) {
    const groups = (await client.call(
      "XINFO",
      "GROUPS",
      streamKeys({ beamline }).stream,
    )) as unknown[][];
    const info = groups[0] ?? [];
    const field = (name: string) => info[info.indexOf(name) + 1];
    if (field("pending") === 0 && field("lag") === 0) break;
    if (Date.now() > end) {
      client.disconnect();
      throw new Error(`group peak-fit not drained within 20 s: ${JSON.stringify(info)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  client.disconnect();
}

describe("distributed analysis over Redis", { timeout: 60_000 }, () => {
  it("two worker processes in a consumer group find every scan's peak and send it back as documents", async (t) => {
    const beamline = "analysis-1";
    const pair = [
      spawnWorker("w1", { redisUrl: redis.url, beamline }),
      spawnWorker("w2", { redisUrl: redis.url, beamline }),
    ];
    workers.push(...pair);
    await Promise.all(pair.map((w) => w.waitFor((line) => line["event"] === "ready")));
    const centers = [-0.3, -0.1, 0.05, 0.2, 0.35];
    const { results, documents } = await publishScansAndCollect(redis.url, beamline, centers);
    strictEqual(results.length, centers.length);
    for (const result of results) {
      ok(
        Math.abs(result.peakCenter - result.trueCenter) < 0.02,
        `scan centred at ${result.trueCenter} came back as ${result.peakCenter}`,
      );
      ok(["w1", "w2"].includes(result.worker));
    }
    assertValidStream(documents);
    const perWorker = results.map((r) => r.worker);
    t.diagnostic(
      `fits: w1 ${perWorker.filter((w) => w === "w1").length}, w2 ${perWorker.filter((w) => w === "w2").length}`,
    );
    await drained(beamline);
    await Promise.all(pair.map(stopOrKill));
    strictEqual(await pending(beamline), 0);
  });

  it("a worker killed in the middle of a fit gets the scan back when it restarts", async () => {
    const beamline = "analysis-2";
    const doomed = spawnWorker("w1", { redisUrl: redis.url, beamline, fitDelayMs: 60_000 });
    workers.push(doomed);
    await doomed.waitFor((line) => line["event"] === "ready");
    const collecting = publishScansAndCollect(redis.url, beamline, [0.15]);
    const fitting = await doomed.waitFor((line) => line["event"] === "fitting");
    doomed.child.kill("SIGKILL");
    await new Promise((resolve) => doomed.child.once("exit", resolve));
    strictEqual((await pending(beamline)) > 0, true, "the killed worker's scan is still pending");
    const restarted = spawnWorker("w1", { redisUrl: redis.url, beamline });
    workers.push(restarted);
    const { results } = await collecting;
    strictEqual(results.length, 1);
    strictEqual(results[0]?.scan, fitting["run"]);
    ok(Math.abs((results[0]?.peakCenter ?? 0) - 0.15) < 0.02);
    await drained(beamline);
    await stopOrKill(restarted);
    strictEqual(await pending(beamline), 0);
  });
});
