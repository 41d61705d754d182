// The queue server's state on a real redis-server: the storage contract shared with SQLite,
// and a server process killed with SIGKILL that comes back with its queue, history, mode and lock.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type RedisServer, startRedisServer } from "@cerulean/bus/testing";
import {
  type QueueItem,
  type QueueStorage,
  RedisQueueStorage,
  SqliteQueueStorage,
} from "../src/index.ts";
import { countPlan, openEnvironment, tempDir, waitFor } from "./helpers.ts";
import { killProcess, type ServerProcess, spawnServerProcess } from "./server-process.ts";

const MAIN = fileURLToPath(new URL("./fixtures/redis-server-main.ts", import.meta.url));

let redis: RedisServer;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});

const item = (n: number): QueueItem =>
  ({
    item_type: "plan",
    name: "count",
    args: [["det"]],
    kwargs: { num: n },
    item_uid: `uid-${n}`,
  }) as QueueItem;

/** The same edits on any storage; returns what a fresh open of it loads. */
async function exercise(
  open: () => Promise<QueueStorage & { flush?(): Promise<void> }>,
): Promise<unknown> {
  const storage = await open();
  storage.pushQueue(item(1));
  storage.pushQueue(item(2));
  storage.saveQueue([item(3), item(1), item(2)]);
  storage.pushQueue(item(4));
  storage.saveRunning(item(5));
  storage.appendHistory(item(6));
  storage.appendHistory(item(7));
  storage.saveHistory([item(7)]);
  storage.setRecord("plan_queue_mode", { loop: true, ignore_failures: false });
  storage.setRecord("lock_info", { environment: true });
  await storage.flush?.();
  storage.close();
  const reopened = await open();
  try {
    return {
      queue: reopened.loadQueue(),
      history: reopened.loadHistory(),
      running: reopened.loadRunning(),
      mode: reopened.getRecord("plan_queue_mode"),
      lock: reopened.getRecord("lock_info"),
      missing: reopened.getRecord("nothing here"),
    };
  } finally {
    reopened.close();
  }
}

describe("queue storage on Redis", () => {
  it("keeps exactly what the SQLite storage keeps, across a reopen", async () => {
    const dir = tempDir();
    try {
      const sqlite = await exercise(async () => new SqliteQueueStorage(join(dir, "q.sqlite")));
      const onRedis = await exercise(() =>
        RedisQueueStorage.open({ url: redis.url, prefix: "contract:" }),
      );
      assert.deepEqual(onRedis, sqlite);
      assert.deepEqual(
        (onRedis as { queue: QueueItem[] }).queue.map((i) => i.item_uid),
        ["uid-3", "uid-1", "uid-2", "uid-4"],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps servers with different prefixes apart", async () => {
    const a = await RedisQueueStorage.open({ url: redis.url, prefix: "beamline-a:" });
    const b = await RedisQueueStorage.open({ url: redis.url, prefix: "beamline-b:" });
    a.pushQueue(item(1));
    await a.flush();
    a.close();
    b.close();
    const b2 = await RedisQueueStorage.open({ url: redis.url, prefix: "beamline-b:" });
    assert.deepEqual(b2.loadQueue(), []);
    b2.close();
  });

  it("names the URL when Redis cannot be reached", async () => {
    await assert.rejects(
      RedisQueueStorage.open({ url: "redis://127.0.0.1:1" }),
      /cannot reach Redis at "redis:\/\/127\.0\.0\.1:1"/,
    );
  });
});

it("a server on Redis killed with SIGKILL restarts with its queue, history, mode and lock", async () => {
  const dataDir = tempDir();
  const prefix = "restart:";
  let first: ServerProcess | undefined;
  try {
    first = await spawnServerProcess(MAIN, dataDir, [redis.url, prefix]);
    await openEnvironment(first.client);
    await first.client.post("/api/queue/item/add", { item: countPlan(1) });
    await first.client.post("/api/queue/start");
    await waitFor(
      first.client,
      (s) => s["items_in_history"] === 1 && s["manager_state"] === "idle",
    );
    const running = (
      await first.client.post("/api/queue/item/add", { item: countPlan(10_000, 0.05) })
    )["item"] as { item_uid: string };
    const queued: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await first.client.post("/api/queue/item/add", { item: countPlan(2) });
      queued.push((reply["item"] as { item_uid: string }).item_uid);
    }
    await first.client.post("/api/queue/mode/set", { mode: { ignore_failures: true } });
    await first.client.post("/api/queue/start");
    await waitFor(
      first.client,
      (s) => s["running_item_uid"] === running.item_uid && s["re_state"] === "running",
    );
    await first.client.post("/api/lock", { lock_key: "k", environment: true });
    await killProcess(first.child);

    const second = await spawnServerProcess(MAIN, dataDir, [redis.url, prefix]);
    try {
      const s = await second.client.get("/api/status");
      assert.equal(s["items_in_queue"], 3);
      assert.equal(s["running_item_uid"], null);
      assert.deepEqual(s["plan_queue_mode"], { loop: false, ignore_failures: true });
      assert.deepEqual(s["lock"], { environment: true, queue: false });
      const q = (await second.client.get("/api/queue/get"))["items"] as { item_uid: string }[];
      assert.deepEqual(
        q.map((i) => i.item_uid),
        queued,
      );
      const h = (await second.client.get("/api/history/get"))["items"] as {
        item_uid: string;
        result: { exit_status: string; msg: string };
      }[];
      assert.deepEqual(
        h.map((i) => i.result.exit_status),
        ["completed", "unknown"],
      );
      assert.equal(h[1]?.item_uid, running.item_uid);
    } finally {
      await killProcess(second.child);
    }
  } finally {
    // Also when the test failed before killing it: no server process outlives the file.
    if (first) await killProcess(first.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
