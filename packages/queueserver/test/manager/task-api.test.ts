// Work outside the queue through a real server and worker: functions and tasks, environment
// update, RE metadata, dry runs, manager stop, and the refusals (script upload, kernel).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  countPlan,
  idle,
  openEnvironment,
  plan,
  startTestServer,
  type TestServer,
  waitFor,
} from "../helpers.ts";

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

/** Polls a task's result until it is completed (fails after 15 s, with the last answer). */
async function taskResult(uid: string): Promise<Record<string, unknown>> {
  const end = Date.now() + 15_000;
  let result: Record<string, unknown> = {};
  while (Date.now() < end) {
    result = await t.client.get("/api/task/result", { task_uid: uid });
    if (result["status"] === "completed") return result;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`task ${uid} not completed within 15 s; last: ${JSON.stringify(result)}`);
}

const fn = (name: string, args: unknown = [], kwargs: unknown = {}) => ({
  item_type: "function",
  name,
  args,
  kwargs,
});

describe("without an environment", () => {
  it("refuses functions, metadata, updates and scripts with the spec's messages", async () => {
    const f = await t.client.post("/api/function/execute", { item: fn("add_numbers", [1, 2]) });
    assert.equal(f["success"], false);
    assert.match(String(f["msg"]), /RE Worker environment does not exist/);
    assert.equal(f["task_uid"], null);
    const md = await t.client.get("/api/re/metadata");
    assert.match(String(md["msg"]), /does not exist/);
    const script = await t.client.post("/api/script/upload", { script: "print(1)" });
    assert.match(String(script["msg"]), /RE Worker environment is not open/);
    const update = await t.client.post("/api/environment/update");
    assert.match(String(update["msg"]), /does not exist/);
  });
});

describe("with an environment", () => {
  before(async () => {
    await openEnvironment(t.client);
  });

  it("executes a function as a task and reports its status and result", async () => {
    const r = await t.client.post("/api/function/execute", { item: fn("add_numbers", [2, 3]) });
    assert.equal(r["success"], true, String(r["msg"]));
    const uid = r["task_uid"] as string;
    assert.equal((r["item"] as { item_uid: string }).item_uid, uid);
    await waitFor(t.client, (s) => idle(s));
    const result = await taskResult(uid);
    const value = result["result"] as Record<string, unknown>;
    assert.equal(value["success"], true);
    assert.equal(value["return_value"], 5);
    assert.ok((value["time_start"] as number) <= (value["time_stop"] as number));
    const many = await t.client.get("/api/task/status", { task_uid: [uid, "nope", uid] });
    assert.deepEqual(many["status"], { [uid]: "completed", nope: "not_found" });
    const one = await t.client.get("/api/task/status", { task_uid: "nope" });
    assert.equal(one["status"], "not_found");
    const missing = await t.client.get("/api/task/result", { task_uid: "nope" });
    assert.deepEqual(missing["result"], {});
  });

  it("records a function that fails as a failed task", async () => {
    const r = await t.client.post("/api/function/execute", { item: fn("no_such_function") });
    assert.equal(r["success"], true, String(r["msg"]));
    const uid = r["task_uid"] as string;
    await waitFor(t.client, idle);
    const result = await taskResult(uid);
    const value = result["result"] as Record<string, unknown>;
    assert.equal(value["success"], false);
    assert.match(String(value["msg"]), /no_such_function/);
  });

  it("rejects bad function and task requests, staying idle", async () => {
    const cases: [string, string, Record<string, unknown>, RegExp][] = [
      [
        "POST",
        "/api/function/execute",
        { item: { item_type: "function" } },
        /name is not specified/,
      ],
      ["POST", "/api/function/execute", { item: fn("f", "x") }, /'args' is not a tuple or a list/],
      ["POST", "/api/function/execute", { item: fn("f", [], [1]) }, /'kwargs' is not a dictionary/],
      ["POST", "/api/function/execute", { item: countPlan(1) }, /item_type/],
      ["GET", "/api/task/status", {}, /Required 'task_uid' parameter is missing/],
      ["GET", "/api/task/status", { task_uid: 3 }, /must be a string or a list of strings/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = (await t.client.send(method, path, body)).body;
      assert.equal(r["success"], false, path);
      assert.match(String(r["msg"]), message);
    }
    await t.client.post("/api/permissions/set", {
      user_group_permissions: {
        user_groups: {
          root: { allowed_plans: [null], allowed_devices: [null], allowed_functions: [null] },
          primary: {
            allowed_plans: [null],
            allowed_devices: [null],
            allowed_functions: ["add_numbers"],
          },
        },
      },
    });
    const notAllowed = await t.client.post("/api/function/execute", { item: fn("not_allowed") });
    assert.match(String(notAllowed["msg"]), /Function 'not_allowed' is not allowed/);
    await t.client.post("/api/permissions/reload");
    assert.equal((await t.client.get("/api/status"))["manager_state"], "idle");
  });

  it("updates the environment's lists as a task and returns the RE metadata", async () => {
    const before = await t.client.get("/api/status");
    const r = await t.client.post("/api/environment/update");
    assert.equal(r["success"], true, String(r["msg"]));
    const after = await waitFor(
      t.client,
      (s) => idle(s) && s["plans_existing_uid"] !== before["plans_existing_uid"],
    );
    assert.notEqual(after["plans_allowed_uid"], before["plans_allowed_uid"]);
    assert.equal(
      (await t.client.get("/api/task/status", { task_uid: r["task_uid"] }))["status"],
      "completed",
    );
    const md = await t.client.get("/api/re/metadata");
    assert.equal(md["success"], true, String(md["msg"]));
    assert.equal(typeof (md["re_metadata"] as Record<string, unknown>)["versions"], "object");
  });

  it("refuses scripts and kernel interrupts, which Cerulean does not run", async () => {
    const script = await t.client.post("/api/script/upload", { script: "import os" });
    assert.equal(script["success"], false);
    assert.match(String(script["msg"]), /never runs code sent in a request/);
    const kernel = await t.client.post("/api/kernel/interrupt");
    assert.match(String(kernel["msg"]), /no IPython kernel/);
    const kill = await t.client.post("/api/test/manager/kill");
    assert.match(String(kill["msg"]), /not supported/);
  });

  it("dry-runs the queue and single items: limits, agent motor ranges, duration", async () => {
    await t.client.post("/api/queue/clear");
    await t.client.post("/api/agent/register", {
      name: "dry",
      limits: { motors: { motor1: [-1, 1] } },
    });
    const ok = (await t.client.post("/api/queue/item/add", { item: plan("sleep", [0.5]) }))[
      "item"
    ] as { item_uid: string };
    await t.client.post("/api/queue/item/add", {
      item: plan("scan", [["det"], "motor1", 0, 2], { num: 3 }),
      agent: "dry",
    });
    await t.client.post("/api/queue/item/add", {
      item: { item_type: "instruction", name: "queue_stop" },
    });
    const r = await t.client.post("/api/queue/dry_run");
    assert.equal(r["success"], true, String(r["msg"]));
    const results = r["results"] as Record<string, unknown>[];
    assert.equal(results.length, 3);
    assert.equal(results[0]?.["item_uid"], ok.item_uid);
    assert.equal(results[0]?.["success"], true);
    assert.ok(Math.abs((results[0]?.["estimated_duration"] as number) - 0.5) < 1e-9);
    assert.equal(results[1]?.["success"], false);
    assert.match(String(results[1]?.["msg"]), /'motor1' to 2: allowed range is \[-1, 1\]/);
    assert.equal(results[2]?.["success"], true);
    const single = await t.client.post("/api/queue/dry_run", { item: countPlan(4) });
    const [s] = single["results"] as Record<string, unknown>[];
    assert.equal(s?.["success"], true, String(s?.["msg"]));
    assert.equal(s?.["num_events"], 4);
    const bad = await t.client.post("/api/queue/dry_run", { uids: ["nope"] });
    assert.match(String(bad["msg"]), /'nope' is not in the queue/);
    assert.equal((await t.client.get("/api/status"))["items_in_history"], 0, "nothing ran");
    await t.client.post("/api/queue/clear");
  });

  it("sleeps on the test route and checks its parameter", async () => {
    assert.equal((await t.client.get("/api/test/server/sleep", { time: 0.01 }))["success"], true);
    assert.match(
      String((await t.client.get("/api/test/server/sleep", { time: "x" }))["msg"]),
      /'time' must be seconds/,
    );
  });
});

describe("manager stop", () => {
  it("refuses a safe stop while busy, and closes the server when idle", {
    timeout: 30_000,
  }, async () => {
    // The last test of the file: it stops the shared server.
    // Long enough (1 s) that the stop request right after the start surely finds it running.
    await t.client.post("/api/queue/item/add", { item: plan("sleep", [1]) });
    await t.client.post("/api/queue/start");
    const busy = await t.client.post("/api/manager/stop");
    assert.match(String(busy["msg"]), /can not be stopped safely/);
    await waitFor(t.client, (st) => idle(st) && st["items_in_history"] === 1);
    const bad = await t.client.post("/api/manager/stop", { option: "now" });
    assert.match(String(bad["msg"]), /'safe_on' or 'safe_off'/);
    assert.equal((await t.client.post("/api/manager/stop"))["success"], true);
    await t.server.closed;
    assert.equal(t.server.manager.worker, null);
  });
});
