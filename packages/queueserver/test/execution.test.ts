// Running the queue in a real worker process: modes, autostart, immediate execution,
// pause/resume/stop/abort/halt, failures, worker kill and environment destroy (spec 7.2).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  countPlan,
  idle,
  openEnvironment,
  plan,
  startWithEnvironment,
  type TestServer,
  waitFor,
} from "./helpers.ts";

let t: TestServer;
const docs: [string, Record<string, unknown>][] = [];
before(async () => {
  t = await startWithEnvironment(docs);
});
after(async () => {
  await t[Symbol.asyncDispose]();
});
beforeEach(async () => {
  await waitFor(t.client, (s) => idle(s) && s["worker_environment_exists"] === true);
  await t.client.post("/api/queue/clear");
  await t.client.post("/api/history/clear");
  await t.client.post("/api/queue/mode/set", { mode: "default" });
  docs.length = 0;
});

type Item = {
  item_uid: string;
  name: string;
  result?: {
    exit_status: string;
    msg: string;
    run_uids: string[];
    time_start: number;
    time_stop: number;
  };
};
const history = async () => (await t.client.get("/api/history/get"))["items"] as Item[];
const queue = async () => (await t.client.get("/api/queue/get"))["items"] as Item[];
const add = (item: unknown, extra: Record<string, unknown> = {}) =>
  t.client.post("/api/queue/item/add", { item, ...extra });

describe("running the queue", () => {
  it("runs plans to completion; each start document carries its queue item uid", async () => {
    const { item } = (await add(countPlan(3))) as { item: Item };
    await add(countPlan(2));
    assert.equal((await t.client.post("/api/queue/start"))["success"], true);
    await waitFor(
      t.client,
      (s) => idle(s) && s["items_in_queue"] === 0 && s["items_in_history"] === 2,
    );
    const h = await history();
    assert.deepEqual(
      h.map((i) => i.result?.exit_status),
      ["completed", "completed"],
    );
    const first = h[0]?.result;
    assert.ok(first && first.time_start < first.time_stop);
    const starts = docs.filter(([n]) => n === "start").map(([, d]) => d);
    assert.equal(starts[0]?.["queue_item_uid"], item.item_uid);
    assert.deepEqual(first?.run_uids, [starts[0]?.["uid"]]);
    assert.equal(docs.filter(([n]) => n === "event").length, 5);
    const runs = await t.client.post("/api/re/runs", { option: "closed" });
    assert.equal((runs["run_list"] as unknown[]).length, 1);
  });

  it("stops at a queue_stop instruction; in loop mode the queue keeps every item", async () => {
    await add(countPlan(1));
    await add(countPlan(1));
    await add({ item_type: "instruction", name: "queue_stop" });
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 2);
    assert.equal((await queue()).length, 0);
    await add(countPlan(1));
    await add(countPlan(1));
    await add({ item_type: "instruction", name: "queue_stop" });
    await t.client.post("/api/queue/mode/set", { mode: { loop: true } });
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 4);
    assert.equal((await queue()).length, 3);
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 6);
    assert.equal((await queue()).length, 3);
  });

  it("stops on a failure and puts the plan back in front with a new uid, unless ignore_failures", async () => {
    const { item } = (await add(plan("fail_plan"))) as { item: Item };
    await add(countPlan(1));
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    const h = await history();
    assert.equal(h[0]?.result?.exit_status, "failed");
    assert.match(h[0]?.result?.msg ?? "", /failed on purpose/);
    const q = await queue();
    assert.equal(q.length, 2);
    assert.equal(q[0]?.name, "fail_plan");
    assert.notEqual(q[0]?.item_uid, item.item_uid);
    await t.client.post("/api/queue/mode/set", { mode: { ignore_failures: true } });
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_queue"] === 0);
    assert.deepEqual(
      (await history()).map((i) => i.result?.exit_status),
      ["failed", "failed", "completed"],
    );
  });

  it("autostarts when enabled and stays on when the queue runs empty", async () => {
    assert.equal((await t.client.post("/api/queue/autostart", { enable: true }))["success"], true);
    await add(countPlan(1));
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    assert.equal((await t.client.get("/api/status"))["queue_autostart_enabled"], true);
    await add(countPlan(1));
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 2);
    await add({ item_type: "instruction", name: "queue_stop" });
    await waitFor(t.client, (s) => s["queue_autostart_enabled"] === false);
  });

  it("executes an item immediately without touching the queue", async () => {
    await add(countPlan(1));
    const before = (await t.client.get("/api/status"))["plan_queue_uid"];
    // Long enough (1.5 s) that the two requests below surely find it still running.
    const r = await t.client.post("/api/queue/item/execute", { item: countPlan(3, 0.5) });
    assert.equal(r["success"], true, String(r["msg"]));
    const busy = await t.client.post("/api/queue/item/execute", { item: countPlan(1) });
    assert.equal(busy["success"], false);
    // The queue is not running: a stop request is refused, so it cannot end a later queue_start.
    const stopRequest = await t.client.post("/api/queue/stop");
    assert.equal(stopRequest["success"], false);
    assert.match(String(stopRequest["msg"]), /queue is not running/);
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    assert.equal((await t.client.get("/api/status"))["queue_stop_pending"], false);
    const s = await t.client.get("/api/status");
    assert.equal(s["items_in_queue"], 1);
    assert.notEqual(s["plan_queue_uid"], before);
    const stop = await t.client.post("/api/queue/item/execute", {
      item: { item_type: "instruction", name: "queue_stop" },
    });
    assert.equal(stop["success"], true);
  });
});

describe("controlling a running plan", () => {
  for (const [action, status, requeued] of [
    ["resume", "completed", false],
    ["stop", "stopped", false],
    ["abort", "aborted", true],
    ["halt", "halted", true],
  ] as const) {
    it(`pauses, then ${action} ends the plan '${status}'`, async () => {
      // Paused well before its end (however slow the machine); resumed, it runs to it.
      await add(countPlan(action === "resume" ? 60 : 10_000, 0.05));
      assert.equal((await t.client.post("/api/re/resume"))["success"], false);
      await t.client.post("/api/queue/start");
      await waitFor(t.client, (s) => s["re_state"] === "running");
      const p = await t.client.post("/api/re/pause", { option: "immediate" });
      assert.equal(p["success"], true, String(p["msg"]));
      const paused = await waitFor(t.client, (s) => s["manager_state"] === "paused");
      assert.equal(paused["re_state"], "paused");
      assert.equal(paused["worker_environment_state"], "idle", "a paused plan leaves it idle");
      const stopQueue = await t.client.post("/api/queue/stop");
      assert.equal(stopQueue["success"], false, "queue_stop is refused while paused (spec)");
      assert.equal((await t.client.post(`/api/re/${action}`))["success"], true);
      await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
      const h = await history();
      assert.equal(h[0]?.result?.exit_status, status);
      assert.equal((await queue()).length, requeued ? 1 : 0);
      const stop = docs.find(([n]) => n === "stop")?.[1];
      assert.ok(stop, "the run closed");
    });
  }

  it("stops the queue after a deferred pause that never lands", async () => {
    // Long enough (1 s) that the pause request surely reaches it, not the next plan.
    await add(plan("sleep", [1]));
    await add(countPlan(1));
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => s["running_item_uid"] !== null);
    await t.client.post("/api/re/pause", { option: "deferred" });
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    assert.equal((await queue()).length, 1);
  });

  it("survives a worker killed mid-plan: history 'failed', item back in front", async () => {
    await add(countPlan(10_000, 0.05)); // killed long before its end
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => s["re_state"] === "running");
    await waitFor(t.client, () => docs.some(([n]) => n === "event"));
    const pid = t.server.manager.worker?.pid;
    assert.ok(pid);
    process.kill(pid, "SIGKILL");
    await waitFor(t.client, (s) => idle(s) && s["worker_environment_exists"] === false);
    const h = await history();
    assert.equal(h[0]?.result?.exit_status, "failed");
    assert.match(h[0]?.result?.msg ?? "", /exited unexpectedly/);
    assert.equal((await queue()).length, 1);
    const stop = docs.find(([n]) => n === "stop")?.[1];
    assert.equal(stop?.["exit_status"], "fail");
    await openEnvironment(t.client);
  });

  it("a worker that never confirms a plan's start is stopped, so the plan cannot run twice", async () => {
    await add(plan("hang_on_start"));
    await t.client.post("/api/queue/start");
    // run_plan gets no answer within 5 s: the worker is ended, not left to run the plan later.
    await waitFor(t.client, (s) => idle(s) && s["worker_environment_exists"] === false, 20_000);
    const h = await history();
    assert.equal(h.length, 1);
    assert.equal(h[0]?.result?.exit_status, "failed");
    assert.deepEqual(
      (await queue()).map((i) => i.name),
      ["hang_on_start"],
    );
    await t.client.post("/api/queue/clear");
    await openEnvironment(t.client);
  });

  it("destroys a hung environment; the plan is recorded as failed and re-queued", async () => {
    await add(plan("hang_plan"));
    await t.client.post("/api/queue/start");
    // The worker has the plan (it reports the RE running just before its loop blocks).
    await waitFor(t.client, (s) => s["running_item_uid"] !== null && s["re_state"] === "running");
    const busyClose = await t.client.post("/api/environment/close");
    assert.match(String(busyClose["msg"]), /Queue execution is in progress/);
    assert.equal((await t.client.post("/api/environment/destroy"))["success"], true);
    await waitFor(t.client, (s) => idle(s) && s["worker_environment_exists"] === false);
    const h = await history();
    assert.equal(h[0]?.result?.msg, "RE Worker environment was destroyed");
    assert.equal((await queue())[0]?.name, "hang_plan");
    await openEnvironment(t.client);
  });

  it("clears history by size and by uid", async () => {
    for (let i = 0; i < 4; i++) await add(countPlan(1));
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 4);
    const h = await history();
    assert.match(
      String((await t.client.post("/api/history/clear", { size: "ab" }))["msg"]),
      /must be an integer/,
    );
    assert.match(
      String((await t.client.post("/api/history/clear", { size: 1, item_uid: "x" }))["msg"]),
      /mutually exclusive/,
    );
    await t.client.post("/api/history/clear", { item_uid: h[0]?.item_uid });
    assert.equal((await history()).length, 3);
    await t.client.post("/api/history/clear", { size: 1 });
    assert.equal((await history()).length, 1);
  });
});
