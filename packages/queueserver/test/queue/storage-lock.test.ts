// One data directory, one server: a second manager on the same queue storage refuses to start
// (it would overwrite the first one's queue edits), and the lock goes with its holder, even when
// the holder is killed.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteQueueStorage, StorageInUseError, startQueueServer } from "../../src/index.ts";
import { countPlan, TEST_PROFILE, tempDir } from "../helpers.ts";
import { killProcess, type ServerProcess, spawnServerProcess } from "../server-process.ts";

const MAIN = fileURLToPath(new URL("../fixtures/server-main.ts", import.meta.url));

describe("the queue storage lock", () => {
  it("refuses a second storage on the same file until the first is closed", () => {
    const dir = tempDir();
    const path = join(dir, "queue.sqlite");
    try {
      const first = new SqliteQueueStorage(path);
      first.setRecord("plan_queue_mode", { loop: true, ignore_failures: false });
      assert.throws(
        () => new SqliteQueueStorage(path),
        (err: unknown) =>
          err instanceof StorageInUseError &&
          err.message.includes(path) &&
          err.message.includes(`pid ${process.pid}`),
      );
      first.close();
      assert.equal(existsSync(`${path}.pid`), false, "the pid file goes with the lock");
      const second = new SqliteQueueStorage(path);
      assert.deepEqual(second.getRecord("plan_queue_mode"), { loop: true, ignore_failures: false });
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a second server on a data directory in use refuses to start; after a SIGKILL it starts", async () => {
    const dataDir = tempDir();
    let first: ServerProcess | undefined;
    try {
      first = await spawnServerProcess(MAIN, dataDir);
      const added = await first.client.post("/api/queue/item/add", { item: countPlan(1) });
      assert.equal(added["success"], true);
      const pid = first.child.pid;
      assert.ok(pid);
      await assert.rejects(
        startQueueServer({ port: 0, dataDir, profile: TEST_PROFILE }),
        (err: unknown) =>
          err instanceof StorageInUseError &&
          err.message.includes(join(dataDir, "queue.sqlite")) &&
          err.message.includes(`pid ${pid}`),
      );
      // The first server is untouched by the refused one.
      assert.equal((await first.client.get("/api/status"))["items_in_queue"], 1);
      await killProcess(first.child);

      const second = await startQueueServer({ port: 0, dataDir, profile: TEST_PROFILE });
      try {
        assert.equal(second.manager.queue.size, 1);
      } finally {
        await second.close();
      }
      // Released on close: the next server starts in this process too.
      const third = await startQueueServer({ port: 0, dataDir, profile: TEST_PROFILE });
      await third.close();
    } finally {
      if (first) await killProcess(first.child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
