// A server process killed with SIGKILL keeps its queue, history, mode, lock and agents across
// the restart; the plan that was running goes to history as 'unknown'.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { countPlan, openEnvironment, tempDir, waitFor } from "./helpers.ts";
import { killProcess, type ServerProcess, spawnServerProcess } from "./server-process.ts";

const MAIN = fileURLToPath(new URL("./fixtures/server-main.ts", import.meta.url));

it("restores the queue, history, mode and lock after SIGKILL; the running plan is 'unknown'", async () => {
  const dataDir = tempDir();
  let first: ServerProcess | undefined;
  try {
    first = await spawnServerProcess(MAIN, dataDir);
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
    const queued = [];
    for (let i = 0; i < 3; i++)
      queued.push(
        (
          (await first.client.post("/api/queue/item/add", { item: countPlan(2) }))["item"] as {
            item_uid: string;
          }
        ).item_uid,
      );
    await first.client.post("/api/queue/mode/set", { mode: { ignore_failures: true } });
    await first.client.post("/api/queue/start");
    await waitFor(
      first.client,
      (s) => s["running_item_uid"] === running.item_uid && s["re_state"] === "running",
    );
    await first.client.post("/api/agent/register", {
      name: "kept",
      limits: { max_runs: 5 },
      require_approval: true,
    });
    const gated = (
      (await first.client.post("/api/queue/item/add", { item: countPlan(1), agent: "kept" }))[
        "item"
      ] as { item_uid: string }
    ).item_uid;
    await first.client.post("/api/lock", { lock_key: "k", environment: true });
    await killProcess(first.child);

    const second = await spawnServerProcess(MAIN, dataDir);
    try {
      const s = await second.client.get("/api/status");
      assert.equal(s["items_in_queue"], 4);
      assert.equal(s["running_item_uid"], null);
      assert.deepEqual(s["plan_queue_mode"], { loop: false, ignore_failures: true });
      assert.deepEqual(s["lock"], { environment: true, queue: false });
      const q = (await second.client.get("/api/queue/get"))["items"] as {
        item_uid: string;
        agent?: string;
        approval?: string;
      }[];
      assert.deepEqual(
        q.map((i) => i.item_uid),
        [...queued, gated],
      );
      assert.deepEqual([q[3]?.agent, q[3]?.approval], ["kept", "pending"]);
      const agents = (await second.client.get("/api/agent/list"))["agents"] as {
        name: string;
        require_approval: boolean;
      }[];
      assert.deepEqual(
        agents.map((a) => [a.name, a.require_approval]),
        [["kept", true]],
      );
      const h = (await second.client.get("/api/history/get"))["items"] as {
        item_uid: string;
        result: { exit_status: string; msg: string };
      }[];
      assert.equal(h.length, 2);
      assert.equal(h[0]?.result.exit_status, "completed");
      assert.equal(h[1]?.item_uid, running.item_uid);
      assert.equal(h[1]?.result.exit_status, "unknown");
      assert.match(h[1]?.result.msg ?? "", /lost due to restart/);
    } finally {
      await killProcess(second.child);
    }
  } finally {
    // Also when the test failed before killing it: no server process outlives the file.
    if (first) await killProcess(first.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
