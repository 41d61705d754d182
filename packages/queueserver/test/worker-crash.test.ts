// A worker killed mid-plan from an autostarted queue: the plan's history item keeps the runs it
// started, and autostart is off, so reopening the environment does not run the plan again.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { countPlan, idle, startWithEnvironment, type TestServer, waitFor } from "./helpers.ts";

let t: TestServer;
const docs: [string, Record<string, unknown>][] = [];
before(async () => {
  t = await startWithEnvironment(docs);
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

it("a worker crash clears autostart and records the killed plan's runs", async () => {
  assert.equal((await t.client.post("/api/queue/autostart", { enable: true }))["success"], true);
  await t.client.post("/api/queue/item/add", { item: countPlan(10_000, 0.05) });
  await waitFor(t.client, (s) => s["re_state"] === "running");
  await waitFor(t.client, () => docs.some(([n]) => n === "event"));
  const pid = t.server.manager.worker?.pid;
  assert.ok(pid);
  process.kill(pid, "SIGKILL");
  await waitFor(t.client, (s) => idle(s) && s["worker_environment_exists"] === false);

  const start = docs.find(([n]) => n === "start")?.[1];
  assert.ok(start);
  const h = (await t.client.get("/api/history/get"))["items"] as {
    result: { exit_status: string; run_uids: string[]; scan_ids: number[] };
  }[];
  assert.equal(h[0]?.result.exit_status, "failed");
  assert.deepEqual(h[0]?.result.run_uids, [start["uid"]]);
  assert.equal(typeof start["scan_id"], "number");
  assert.deepEqual(h[0]?.result.scan_ids, [start["scan_id"]]);
  assert.equal((await t.client.get("/api/status"))["queue_autostart_enabled"], false);

  // Autostart is decided as the environment reports ready: the re-queued plan stays queued.
  assert.equal((await t.client.post("/api/environment/open"))["success"], true);
  const s = await waitFor(t.client, (st) => st["worker_environment_exists"] === true, 60_000);
  assert.equal(s["manager_state"], "idle");
  assert.equal(s["items_in_queue"], 1);
  assert.equal(s["running_item_uid"], null);
});
