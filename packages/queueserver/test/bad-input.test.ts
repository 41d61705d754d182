// Bad input never takes the server down: malformed JSON, wrong types, unknown routes and uids,
// oversized bodies each get a 4xx or `success: false` with a message.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startTestServer, type TestServer } from "./helpers.ts";

let t: TestServer;
before(async () => {
  t = await startTestServer({ bodyLimit: 64 * 1024 });
});
after(async () => {
  await t[Symbol.asyncDispose]();
});

it("answers malformed JSON with 400 and a decode message, on POST and GET", async () => {
  const post = await t.client.send("POST", "/api/queue/item/add", "{not json");
  assert.equal(post.status, 400);
  assert.match(String(post.body["detail"]), /JSON/);
  const get = await t.client.send("GET", "/api/queue/item/get", "[1,");
  assert.equal(get.status, 400);
  const array = await t.client.send("POST", "/api/queue/item/add", "[1, 2]");
  assert.equal(array.status, 400);
});

it("answers unknown routes with 404 and oversized bodies with 413", async () => {
  const missing = await t.client.send("GET", "/api/no/such/route");
  assert.equal(missing.status, 404);
  assert.match(String(missing.body["detail"]), /Not Found/);
  const big = await t.client.send("POST", "/api/queue/item/add", {
    item: { name: "x".repeat(100_000) },
  });
  assert.equal(big.status, 413);
});

it("rejects unsupported parameters, wrong types and unknown uids with success: false", async () => {
  const cases: [string, string, unknown, RegExp][] = [
    [
      "POST",
      "/api/queue/item/add",
      { item: { item_type: "plan", name: "count", args: "det" } },
      /'args' must be a list/,
    ],
    [
      "POST",
      "/api/queue/item/add",
      { item: { item_type: "plan", name: "count" }, surprise: 1 },
      /unsupported parameters: 'surprise'/,
    ],
    ["POST", "/api/queue/item/remove", { uid: "nope" }, /is not in the queue/],
    ["POST", "/api/queue/item/move", { uid: "nope", pos_dest: 0 }, /is not in the queue/],
    ["POST", "/api/queue/item/remove/batch", { uids: "nope" }, /list of strings/],
    ["POST", "/api/queue/autostart", { enable: "yes" }, /must be a boolean/],
    ["POST", "/api/re/pause", { option: "later" }, /not supported/],
    ["POST", "/api/queue/start", {}, /environment does not exist/],
    ["GET", "/api/plans/allowed", {}, /.*/],
    ["POST", "/api/permissions/set", { user_group_permissions: { user_groups: {} } }, /root/],
  ];
  for (const [method, path, body, message] of cases) {
    const r = await t.client.send(method, path, body);
    assert.equal(r.status, 200, path);
    if (path !== "/api/plans/allowed") {
      assert.equal(r.body["success"], false, path);
      assert.match(String(r.body["msg"]), message, path);
    }
  }
});

it("stays up after a few hundred bad requests", async () => {
  const bodies = ["{", "null", "[]", '{"item": 5}', '{"pos": {}}', '"text"', "{}".repeat(10)];
  const paths = [
    "/api/queue/item/add",
    "/api/queue/item/move",
    "/api/lock",
    "/api/history/clear",
    "/api/nope",
  ];
  const replies = [];
  for (let i = 0; i < 300; i++) {
    replies.push(
      t.client.send(
        i % 3 ? "POST" : "GET",
        paths[i % paths.length] as string,
        bodies[i % bodies.length] as string,
      ),
    );
  }
  const done = await Promise.all(replies);
  assert.ok(done.every((r) => r.status === 200 || (r.status >= 400 && r.status < 500)));
  const status = await t.client.get("/api/status");
  assert.equal(status["manager_state"], "idle");
  assert.equal(status["items_in_queue"], 0);
});
