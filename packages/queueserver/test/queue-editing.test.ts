// Editing the queue over HTTP without an environment: status, positions, moves, batches,
// updates, modes, locks and plan validation (spec section 7.2).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { countPlan, plan, startTestServer, type TestServer } from "./helpers.ts";

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

async function names(): Promise<string[]> {
  const q = await t.client.get("/api/queue/get");
  return (q["items"] as { kwargs: { md?: { tag?: string } } }[]).map(
    (i) => i.kwargs.md?.tag ?? "?",
  );
}

async function fill(tags: string[]): Promise<string[]> {
  await t.client.post("/api/queue/clear");
  const uids: string[] = [];
  for (const tag of tags) {
    const r = await t.client.post("/api/queue/item/add", {
      item: plan("count", [["det"]], { md: { tag } }),
    });
    uids.push((r["item"] as { item_uid: string }).item_uid);
  }
  return uids;
}

const tagged = (tag: string) => plan("count", [["det"]], { md: { tag } });

describe("a fresh server", () => {
  it("reports an idle manager with no environment and status without 'success'", async () => {
    const s = await t.client.get("/api/status");
    assert.equal(s["manager_state"], "idle");
    assert.equal(s["items_in_queue"], 0);
    assert.equal(s["running_item_uid"], null);
    assert.equal(s["worker_environment_exists"], false);
    assert.equal(s["worker_environment_state"], "closed");
    assert.equal(s["re_state"], null);
    assert.equal(s["pause_pending"], false);
    assert.deepEqual(s["plan_queue_mode"], { loop: false, ignore_failures: false });
    assert.deepEqual(s["lock"], { environment: false, queue: false });
    assert.equal(typeof s["plan_queue_uid"], "string");
    assert.equal("success" in s, false);
    const ping = await t.client.get("/api/ping", { reload: true });
    assert.equal(ping["manager_state"], "idle");
  });
});

describe("adding items", () => {
  beforeEach(() => t.client.post("/api/queue/clear"));

  it("assigns a fresh uid and the caller's user and group, and changes only the queue uid", async () => {
    const before = await t.client.get("/api/status");
    const r = await t.client.post("/api/queue/item/add", {
      item: { ...countPlan(), item_uid: "mine" },
    });
    assert.equal(r["success"], true);
    assert.equal(r["qsize"], 1);
    const item = r["item"] as Record<string, unknown>;
    assert.notEqual(item["item_uid"], "mine");
    assert.equal(item["user_group"], "primary");
    const after = await t.client.get("/api/status");
    assert.notEqual(after["plan_queue_uid"], before["plan_queue_uid"]);
    assert.equal(after["plan_history_uid"], before["plan_history_uid"]);
  });

  for (const [pos, index] of [
    [undefined, 2],
    ["back", 2],
    [2, 2],
    [3, 2],
    [100, 2],
    [-1, 2],
    ["front", 0],
    [0, 0],
    [-3, 0],
    [-4, 0],
    [-100, 0],
    [1, 1],
    [-2, 1],
  ] as const) {
    it(`puts a new item at index ${index} of a queue of 2 for pos ${String(pos)}`, async () => {
      await fill(["a", "b"]);
      await t.client.post("/api/queue/item/add", {
        item: tagged("new"),
        ...(pos === undefined ? {} : { pos }),
      });
      assert.equal((await names()).indexOf("new"), index);
    });
  }

  it("refuses a bad pos, unknown uids and ambiguous placements", async () => {
    const [a] = await fill(["a", "b"]);
    let r = await t.client.post("/api/queue/item/add", { item: countPlan(), pos: "some" });
    assert.equal(r["success"], false);
    assert.equal(r["qsize"], null);
    r = await t.client.post("/api/queue/item/add", { item: countPlan(), before_uid: "nope" });
    assert.match(String(r["msg"]), /is not in the queue/);
    r = await t.client.post("/api/queue/item/add", { item: countPlan(), pos: 1, before_uid: a });
    assert.match(String(r["msg"]), /Ambiguous parameters/);
  });

  it("treats a parameter sent as null as not given, as upstream reads None", async () => {
    await fill(["a", "b"]);
    const r = await t.client.post("/api/queue/item/add", {
      item: tagged("c"),
      pos: null,
      before_uid: null,
      after_uid: null,
    });
    assert.equal(r["success"], true, String(r["msg"]));
    assert.deepEqual(await names(), ["a", "b", "c"]);
    const got = await t.client.get("/api/queue/item/get", { pos: null, uid: null });
    assert.equal((got["item"] as { kwargs: { md: { tag: string } } }).kwargs.md.tag, "c");
  });

  it("validates plans before queueing them", async () => {
    const cases: [unknown, RegExp][] = [
      [plan("count_test", [["det"]]), /Plan 'count_test' is not in the list of allowed plans/],
      [plan("count", [["det"]], { abc: 1 }), /got an unexpected keyword argument 'abc'/],
      [plan("count", [["no_such_det"]]), /not in the list of allowed devices/],
      [plan("count", [["det"]], { num: "three" }), /Parameter 'num'.*expected int/],
      [plan("count", [["det"]], { num: 0 }), /out of range/],
      [plan("count", []), /missing a required argument: 'detectors'/],
      [{ item_type: "instruction", name: "dance" }, /Unrecognized instruction/],
      [{ item_type: "function", name: "add_numbers" }, /item_type/],
    ];
    for (const [item, message] of cases) {
      const r = await t.client.post("/api/queue/item/add", { item });
      assert.equal(r["success"], false, JSON.stringify(item));
      assert.match(String(r["msg"]), message);
    }
    let r = await t.client.post("/api/queue/item/add", {});
    assert.match(String(r["msg"]), /request contains no item info/);
    assert.equal(r["item"], null);
    r = await t.client.post("/api/queue/item/add", { item: [] });
    assert.match(String(r["msg"]), /item parameter must have type 'dict'/);
    assert.deepEqual(r["item"], []);
    assert.equal(Array.isArray((await t.client.get("/api/queue/get"))["items"]), true);
    assert.deepEqual(await names(), []);
  });

  it("adds batches all or nothing, placed like a single add", async () => {
    const [, , c, d] = await fill(["1", "2", "3", "4"]);
    const batch = ["5", "6", "7"].map(tagged);
    await t.client.post("/api/queue/item/add/batch", { items: batch, pos: 1 });
    assert.deepEqual(await names(), ["1", "5", "6", "7", "2", "3", "4"]);
    await fill(["1", "2", "3", "4"]);
    const q = (await t.client.get("/api/queue/get"))["items"] as { item_uid: string }[];
    await t.client.post("/api/queue/item/add/batch", { items: batch, before_uid: q[2]?.item_uid });
    assert.deepEqual(await names(), ["1", "2", "5", "6", "7", "3", "4"]);
    void c;
    void d;
    const uids = await fill(["1", "2", "3", "4"]);
    await t.client.post("/api/queue/item/add/batch", { items: batch, after_uid: uids[3] });
    assert.deepEqual(await names(), ["1", "2", "3", "4", "5", "6", "7"]);
    await fill(["1", "2", "3", "4"]);
    await t.client.post("/api/queue/item/add/batch", { items: batch, pos: -1 });
    assert.deepEqual(await names(), ["1", "2", "3", "4", "5", "6", "7"]);
    const bad = await t.client.post("/api/queue/item/add/batch", {
      items: [tagged("x"), plan("nope")],
    });
    assert.equal(bad["success"], false);
    assert.deepEqual(
      (bad["results"] as { success: boolean }[]).map((x) => x.success),
      [true, false],
    );
    assert.equal((await names()).length, 7);
    const empty = await t.client.post("/api/queue/item/add/batch", { items: [] });
    assert.equal(empty["success"], true);
  });
});

describe("moving, updating and removing", () => {
  for (const [params, expected] of [
    [{ pos: 1, pos_dest: 2 }, "acbde"],
    [{ pos: -1, pos_dest: 1 }, "aebcd"],
    [{ pos: -2, pos_dest: -3 }, "abdce"],
  ] as const) {
    it(`moves ${JSON.stringify(params)} in abcde to ${expected}`, async () => {
      await fill([..."abcde"]);
      const r = await t.client.post("/api/queue/item/move", params);
      assert.equal(r["success"], true, String(r["msg"]));
      assert.equal((await names()).join(""), expected);
    });
  }

  it("moves before and after uids, and onto itself without a queue change", async () => {
    const [a, b, , , e] = await fill([..."abcde"]);
    await t.client.post("/api/queue/item/move", { uid: e, before_uid: b });
    assert.equal((await names()).join(""), "aebcd");
    await t.client.post("/api/queue/item/move", { uid: a, after_uid: e });
    assert.equal((await names()).join(""), "eabcd");
    const before = (await t.client.get("/api/status"))["plan_queue_uid"];
    const r = await t.client.post("/api/queue/item/move", { pos: 0, pos_dest: 0 });
    assert.equal(r["success"], true);
    assert.equal((await t.client.get("/api/status"))["plan_queue_uid"], before);
  });

  it("moves batches in the given order or the queue order", async () => {
    const [a, , c, , e] = await fill([..."abcde"]);
    await t.client.post("/api/queue/item/move/batch", { uids: [e, a], pos_dest: "front" });
    assert.equal((await names()).join(""), "eabcd");
    await t.client.post("/api/queue/item/move/batch", {
      uids: [e, a],
      pos_dest: "back",
      reorder: true,
    });
    assert.equal((await names()).join(""), "bcdea");
    const r = await t.client.post("/api/queue/item/move/batch", {
      uids: [c, c],
      pos_dest: "front",
    });
    assert.equal(r["success"], false);
  });

  it("updates in place (same uid) or replaces (new uid); an unknown uid changes nothing", async () => {
    const [a] = await fill(["a", "b"]);
    let r = await t.client.post("/api/queue/item/update", {
      item: { ...tagged("A"), item_uid: a },
    });
    assert.equal(r["success"], true);
    assert.equal((r["item"] as { item_uid: string }).item_uid, a);
    r = await t.client.post("/api/queue/item/update", {
      item: { ...tagged("AA"), item_uid: a },
      replace: true,
    });
    assert.notEqual((r["item"] as { item_uid: string }).item_uid, a);
    // The same item again: success, and the queue (its uid) unchanged.
    const same = (await t.client.get("/api/queue/item/get", { pos: "front" }))["item"];
    const before = (await t.client.get("/api/status"))["plan_queue_uid"];
    r = await t.client.post("/api/queue/item/update", { item: same });
    assert.equal(r["success"], true, String(r["msg"]));
    assert.equal((await t.client.get("/api/status"))["plan_queue_uid"], before);
    r = await t.client.post("/api/queue/item/update", {
      item: { ...tagged("X"), item_uid: "nope" },
    });
    assert.equal(r["success"], false);
    assert.deepEqual(await names(), ["AA", "b"]);
  });

  it("gets and removes by position and uid, batch removal included", async () => {
    const [a, b, c] = await fill(["a", "b", "c"]);
    assert.equal(
      ((await t.client.get("/api/queue/item/get"))["item"] as { item_uid: string }).item_uid,
      c,
    );
    assert.equal(
      ((await t.client.get("/api/queue/item/get", { uid: a }))["item"] as { item_uid: string })
        .item_uid,
      a,
    );
    const missing = await t.client.get("/api/queue/item/get", { uid: "nope" });
    assert.equal(missing["success"], false);
    assert.deepEqual(missing["item"], {});
    await t.client.post("/api/queue/item/remove", { pos: "front" });
    assert.deepEqual(await names(), ["b", "c"]);
    const r = await t.client.post("/api/queue/item/remove/batch", { uids: [b, "nope"] });
    assert.equal(r["success"], true);
    assert.equal(r["qsize"], 1);
    const strict = await t.client.post("/api/queue/item/remove/batch", {
      uids: [c, "nope"],
      ignore_missing: false,
    });
    assert.equal(strict["success"], false);
  });
});

describe("modes and locks", () => {
  it("sets the queue mode and rejects malformed modes, leaving it unchanged", async () => {
    assert.equal(
      (await t.client.post("/api/queue/mode/set", { mode: { loop: true } }))["success"],
      true,
    );
    for (const mode of ["loop", ["loop"], { loop: 1 }, { shuffle: true }]) {
      assert.equal((await t.client.post("/api/queue/mode/set", { mode }))["success"], false);
    }
    assert.deepEqual((await t.client.get("/api/status"))["plan_queue_mode"], {
      loop: true,
      ignore_failures: false,
    });
    await t.client.post("/api/queue/mode/set", { mode: "default" });
    assert.deepEqual((await t.client.get("/api/status"))["plan_queue_mode"], {
      loop: false,
      ignore_failures: false,
    });
  });

  it("locks the queue against edits without the key; reads stay open", async () => {
    const bad = [
      [{ lock_key: "k" }, /environment and\/or queue must be selected/],
      [{ queue: true, user: "u" }, /Lock key is not specified/],
      [{ lock_key: "", queue: true, user: "u" }, /non-empty string/],
      [{ lock_key: "k", queue: true, user: "u", note: 5 }, /Note must be a string/],
    ] as const;
    for (const [params, message] of bad) {
      const r = await t.client.post("/api/lock", params);
      assert.match(String(r["msg"]), message);
    }
    // The HTTP server fills in the user.
    const locked = await t.client.post("/api/lock", {
      lock_key: "secret",
      queue: true,
      note: "aligning",
    });
    assert.equal(locked["success"], true);
    assert.equal((locked["lock_info"] as { queue: boolean }).queue, true);
    const denied = await t.client.post("/api/queue/item/add", { item: countPlan() });
    assert.match(String(denied["msg"]), /Invalid lock key/);
    const allowed = await t.client.post("/api/queue/item/add", {
      item: countPlan(),
      lock_key: "secret",
    });
    assert.equal(allowed["success"], true);
    assert.equal((await t.client.get("/api/queue/get"))["success"], true);
    assert.match(
      String((await t.client.get("/api/lock/info", { lock_key: "wrong" }))["msg"]),
      /Invalid lock key/,
    );
    assert.match(
      String((await t.client.post("/api/lock", { lock_key: "other", queue: true }))["msg"]),
      /different key/,
    );
    assert.equal((await t.client.post("/api/unlock", { lock_key: "wrong" }))["success"], false);
    assert.equal((await t.client.post("/api/unlock", { lock_key: "secret" }))["success"], true);
    assert.deepEqual((await t.client.get("/api/status"))["lock"], {
      environment: false,
      queue: false,
    });
    await t.client.post("/api/queue/clear");
  });

  it("lists allowed plans with parameter descriptions, reduced for web forms", async () => {
    const r = await t.client.get("/api/plans/allowed", { reduced: true });
    const count = (
      r["plans_allowed"] as Record<
        string,
        { parameters: { name: string; type: string; is_list: boolean }[] }
      >
    )["count"];
    assert.ok(count);
    assert.deepEqual(
      count.parameters.map((p) => p.name),
      ["detectors", "num", "delay", "md"],
    );
    assert.equal(count.parameters[1]?.type, "int");
    const devices = await t.client.get("/api/devices/allowed");
    assert.equal(
      (devices["devices_allowed"] as Record<string, { is_movable: boolean }>)["motor"]?.is_movable,
      true,
    );
    const existing = await t.client.get("/api/plans/existing");
    assert.ok((existing["plans_existing"] as Record<string, unknown>)["fail_plan"]);
  });
});
