// Agent guard rails through a real server and worker: registration, limits checked at submit
// and at run time, per-agent counters, and the human approval gate of the queue.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, beforeEach, describe, it } from "node:test";
import { QueueServerClient, startQueueServer } from "../../src/index.ts";
import {
  countPlan,
  idle,
  plan,
  startWithEnvironment,
  TEST_PROFILE,
  type TestServer,
  tempDir,
  waitFor,
} from "../helpers.ts";

type Item = {
  item_uid: string;
  name: string;
  agent?: string;
  approval?: string;
  result?: { exit_status: string; msg: string; time_start: number; time_stop: number };
};
type Agent = {
  name: string;
  limits: Record<string, unknown>;
  require_approval: boolean;
  runs_done: number;
  time_used: number;
};

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
  docs.length = 0;
});

const history = async () => (await t.client.get("/api/history/get"))["items"] as Item[];
const queue = async () => (await t.client.get("/api/queue/get"))["items"] as Item[];
const register = (name: string, limits: Record<string, unknown>, require_approval?: boolean) =>
  t.client.post("/api/agent/register", { name, limits, require_approval });
const addAs = (agent: string | undefined, item: unknown) =>
  t.client.post("/api/queue/item/add", agent === undefined ? { item } : { item, agent });
const agentNamed = async (name: string) =>
  ((await t.client.get("/api/agent/list"))["agents"] as Agent[]).find((a) => a.name === name);
const scan = (motor: string, start: number, stop: number, num: number) =>
  plan("scan", [["det"], motor, start, stop], { num });

describe("registering agents", () => {
  it("registers, lists and re-registers an agent, keeping its counters", async () => {
    const r = await register("align", { plans: ["scan"], motors: { motor1: [-1, 1] } });
    assert.equal(r["success"], true, String(r["msg"]));
    assert.deepEqual((r["agent"] as Agent).limits, {
      plans: ["scan"],
      motors: { motor1: [-1, 1] },
    });
    assert.equal((await addAs("align", scan("motor1", -1, 1, 2)))["success"], true);
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    const before = await agentNamed("align");
    assert.equal(before?.runs_done, 1);
    assert.ok((before?.time_used ?? 0) > 0);
    await register("align", { plans: ["count"], max_runs: 10 }, true);
    const again = await agentNamed("align");
    assert.deepEqual(again?.limits, { plans: ["count"], max_runs: 10 });
    assert.equal(again?.require_approval, true);
    assert.equal(again?.runs_done, 1);
    assert.equal(again?.time_used, before?.time_used);
  });

  it("refuses malformed registrations, naming the offending value", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: "", limits: {} }, /non-empty string/],
      [{ name: "a", limits: { motors: { motor1: [2, 1] } } }, /motor1.*\[2,1\]/],
      [{ name: "a", limits: { max_runs: -1 } }, /max_runs.*-1/],
      [{ name: "a", limits: { speed: 3 } }, /speed/],
      [{ name: "a", limits: {}, require_approval: "yes" }, /require_approval.*"yes"/],
    ];
    for (const [body, message] of cases) {
      const r = await t.client.post("/api/agent/register", body);
      assert.equal(r["success"], false);
      assert.match(String(r["msg"]), message);
    }
  });
});

describe("limits at submit", () => {
  it("rejects unknown agents, plans, motors and used-up runs with the limit in the message", async () => {
    await register("bo", { plans: ["scan", "count"], motors: { motor1: [-1, 1] }, max_runs: 2 });
    const unknown = await addAs("nobody", countPlan(1));
    assert.equal(unknown["success"], false);
    assert.match(String(unknown["msg"]), /Agent 'nobody' is not registered/);
    const badPlan = await addAs("bo", plan("sleep", [0.01]));
    assert.match(String(badPlan["msg"]), /plan 'sleep'.*\["scan","count"\]/);
    const badMotor = await addAs("bo", scan("motor2", 0, 1, 2));
    assert.match(String(badMotor["msg"]), /'motor2'.*\["motor1"\]/);
    assert.equal((await queue()).length, 0);
    const batch = await t.client.post("/api/queue/item/add/batch", {
      items: [countPlan(1), countPlan(1), countPlan(1)],
      agent: "bo",
    });
    assert.equal(batch["success"], false);
    assert.match(String(batch["msg"]), /max_runs limit of 2: 0 done, 0 queued, 3 submitted/);
    assert.equal((await queue()).length, 0);
    assert.equal((await addAs("bo", countPlan(1)))["success"], true);
    assert.equal((await addAs("bo", countPlan(1)))["success"], true);
    const third = await addAs("bo", countPlan(1));
    assert.match(String(third["msg"]), /max_runs limit of 2: 0 done, 2 queued/);
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 2);
    assert.match(String((await addAs("bo", countPlan(1)))["msg"]), /2 done, 0 queued/);
  });

  it("rejects an agent whose run time is used up", async () => {
    await register("slow", { max_total_time: 0.01 });
    assert.equal((await addAs("slow", plan("sleep", [0.05])))["success"], true);
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    const r = await addAs("slow", countPlan(1));
    assert.equal(r["success"], false);
    assert.match(String(r["msg"]), /max_total_time limit of 0.01 s/);
  });

  it("refuses to start an item whose agent's limits were lowered after it was queued", async () => {
    await register("lowered", {});
    await addAs("lowered", countPlan(1));
    await register("lowered", { max_runs: 0 });
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    const [h] = await history();
    assert.equal(h?.result?.exit_status, "failed");
    assert.match(h?.result?.msg ?? "", /'lowered' has used up its max_runs limit of 0/);
    assert.equal((await queue()).length, 0, "not re-queued: it can never run");
    assert.equal((await agentNamed("lowered"))?.runs_done, 0);
  });

  it("aborts an agent's running plan when its max_total_time runs out", async () => {
    await register("timed", { max_total_time: 0.3 });
    await addAs("timed", countPlan(100, 0.05));
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    const [h] = await history();
    assert.equal(h?.result?.exit_status, "aborted");
    assert.match(h?.result?.msg ?? "", /'timed' reached its max_total_time limit of 0.3 s/);
    assert.ok(docs.filter(([n]) => n === "event").length < 100, "the plan did not run to its end");
    assert.equal(docs.find(([n]) => n === "stop")?.[1]["exit_status"], "abort");
    assert.equal((await agentNamed("timed"))?.runs_done, 1);
  });

  it("tags the item with its agent and ignores approval fields sent by the client", async () => {
    await register("tagger", {}, true);
    const r = await t.client.post("/api/queue/item/add", {
      item: { ...countPlan(1), approval: "approved", agent: "someone" },
      agent: "tagger",
    });
    const item = r["item"] as Item;
    assert.equal(item.agent, "tagger");
    assert.equal(item.approval, "pending");
    const human = (
      await t.client.post("/api/queue/item/add", {
        item: { ...countPlan(1), approval: "approved", agent: "tagger" },
      })
    )["item"] as Item;
    assert.equal(human.agent, undefined);
    assert.equal(human.approval, undefined);
  });
});

describe("motor limits at run time", () => {
  it("fails the plan before a move outside the range, naming motor, value and range", async () => {
    await register("mover", { motors: { motor1: [-1, 1] } });
    const r = await addAs("mover", scan("motor1", -1, 3, 3));
    assert.equal(r["success"], true, String(r["msg"]));
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
    const [h] = await history();
    assert.equal(h?.result?.exit_status, "failed");
    assert.match(h?.result?.msg ?? "", /'motor1' to 3: allowed range is \[-1, 1\]/);
    const positions = docs
      .filter(([n]) => n === "event")
      .map(([, d]) => (d["data"] as Record<string, number>)["motor1"]);
    assert.ok(positions.length > 0);
    for (const p of positions) assert.ok(p !== undefined && p >= -1 && p <= 1, `moved to ${p}`);
    assert.equal((await agentNamed("mover"))?.runs_done, 1);
  });

  it("fails a set on a motor the agent may not move, even one the plan moves by itself", async () => {
    await register("mover2", { motors: { motor2: [-1, 1] } });
    // mv's arguments are unannotated: motor1 is caught at submit; a listed motor passes.
    const caught = await addAs("mover2", plan("mv", ["motor1", 0.5]));
    assert.match(String(caught["msg"]), /'motor1'.*\["motor2"\]/);
    assert.equal((await addAs("mover2", plan("mv", ["motor2", 5])))["success"], true);
    assert.equal((await addAs("mover2", plan("move_motor3")))["success"], true);
    await t.client.post("/api/queue/mode/set", { mode: { ignore_failures: true } });
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 2);
    await t.client.post("/api/queue/mode/set", { mode: "default" });
    const [outOfRange, unlisted] = await history();
    assert.match(outOfRange?.result?.msg ?? "", /'motor2' to 5: allowed range is \[-1, 1\]/);
    assert.match(unlisted?.result?.msg ?? "", /forbid moving 'motor3'.*\["motor2"\]/);
  });
});

describe("human approval", () => {
  it("holds the started queue at a pending item and goes on once it is approved", async () => {
    await register("gated", {}, true);
    const pending = (await addAs("gated", countPlan(1)))["item"] as Item;
    await addAs(undefined, countPlan(1));
    assert.equal((await t.client.post("/api/queue/start"))["success"], true);
    const held = await waitFor(t.client, (s) => s["approval_pending"] === pending.item_uid);
    assert.equal(held["manager_state"], "executing_queue");
    assert.equal(held["running_item_uid"], null);
    assert.equal(held["items_in_queue"], 2);
    const r = await t.client.post("/api/queue/item/approve", { uid: pending.item_uid });
    assert.equal(r["success"], true, String(r["msg"]));
    assert.equal((r["item"] as Item).approval, "approved");
    const done = await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 2);
    assert.equal(done["approval_pending"], null);
    const h = await history();
    assert.equal(h[0]?.item_uid, pending.item_uid);
    assert.equal(h[0]?.approval, "approved");
  });

  it("denies an item into history; a denied or approved item cannot be decided again", async () => {
    await register("gated2", {}, true);
    const a = (await addAs("gated2", countPlan(1)))["item"] as Item;
    const b = (await addAs("gated2", countPlan(1)))["item"] as Item;
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => s["approval_pending"] === a.item_uid);
    const denied = await t.client.post("/api/queue/item/deny", { uid: a.item_uid });
    assert.equal(denied["success"], true, String(denied["msg"]));
    const s = await waitFor(t.client, (st) => st["approval_pending"] === b.item_uid);
    assert.equal(s["items_in_queue"], 1);
    const [h] = await history();
    assert.equal(h?.result?.exit_status, "denied");
    assert.equal(h?.approval, "denied");
    const again = await t.client.post("/api/queue/item/deny", { uid: a.item_uid });
    assert.match(String(again["msg"]), /not in the queue/);
    await t.client.post("/api/queue/item/approve", { uid: b.item_uid });
    await waitFor(t.client, (st) => idle(st) && st["items_in_history"] === 2);
    const human = (await addAs(undefined, countPlan(1)))["item"] as Item;
    const noPending = await t.client.post("/api/queue/item/approve", { uid: human.item_uid });
    assert.equal(noPending["success"], false);
    assert.match(String(noPending["msg"]), /has no pending approval/);
    const noUid = await t.client.post("/api/queue/item/approve", {});
    assert.match(String(noUid["msg"]), /'uid' is required/);
    assert.equal((await agentNamed("gated2"))?.runs_done, 1);
  });

  it("stops a held queue at once, and restarts the hold after an edit needing approval", async () => {
    await register("gated3", {}, true);
    const a = (await addAs("gated3", countPlan(1)))["item"] as Item;
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => s["approval_pending"] === a.item_uid);
    assert.equal((await t.client.post("/api/queue/stop"))["success"], true);
    const stopped = await waitFor(t.client, idle);
    assert.equal(stopped["approval_pending"], null);
    await t.client.post("/api/queue/item/approve", { uid: a.item_uid });
    const edited = await t.client.post("/api/queue/item/update", {
      item: { ...countPlan(2), item_uid: a.item_uid },
    });
    assert.equal((edited["item"] as Item).approval, "pending", "an edit needs a new approval");
    assert.equal((edited["item"] as Item).agent, "gated3");
    await t.client.post("/api/queue/start");
    await waitFor(t.client, (s) => s["approval_pending"] === a.item_uid);
    await t.client.post("/api/queue/item/remove", { uid: a.item_uid });
    await waitFor(t.client, (s) => idle(s) && s["approval_pending"] === null);
    assert.equal((await history()).length, 0);
  });
});

describe("persistence", () => {
  it("keeps agents, limits and counters across a restart", async () => {
    const dataDir = tempDir();
    try {
      let server = await startQueueServer({ port: 0, dataDir, profile: TEST_PROFILE });
      let client = new QueueServerClient({ url: server.url });
      await client.post("/api/agent/register", { name: "kept", limits: { max_runs: 3 } });
      server.manager.agents.recordRun("kept", 1.5);
      await server.close();
      server = await startQueueServer({ port: 0, dataDir, profile: TEST_PROFILE });
      client = new QueueServerClient({ url: server.url });
      const agents = (await client.get("/api/agent/list"))["agents"] as Agent[];
      assert.deepEqual(agents, [
        {
          name: "kept",
          limits: { max_runs: 3 },
          require_approval: false,
          runs_done: 1,
          time_used: 1.5,
        },
      ]);
      await server.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
