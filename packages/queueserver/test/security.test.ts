// API keys, anonymous read-only access, scopes and user groups; refusing public addresses.
import assert from "node:assert/strict";
import { it } from "node:test";
import { ConfigurationError, checkBinding, QueueServerClient } from "../src/index.ts";
import { countPlan, startTestServer } from "./helpers.ts";

it("refuses to listen on a non-loopback address without an API key", () => {
  assert.throws(() => checkBinding("0.0.0.0"), ConfigurationError);
  assert.doesNotThrow(() => checkBinding("0.0.0.0", { apiKey: "k" }));
  assert.doesNotThrow(() => checkBinding("127.0.0.1"));
});

it("requires the key, lets anonymous callers read status only, and applies user groups", async () => {
  await using t = await startTestServer({
    security: {
      apiKey: "single",
      allowAnonymous: true,
      users: {
        "obs-key": { user: "olga", role: "observer" },
        "tu-key": { user: "tom", user_group: "test_user" },
      },
    },
  });
  const anonymous = t.client;
  assert.equal((await anonymous.send("GET", "/api/status")).status, 200);
  const denied = await anonymous.send("GET", "/api/queue/get");
  assert.equal(denied.status, 401);
  assert.match(String(denied.body["detail"]), /Requires scopes \['read:queue'\]/);
  const wrong = new QueueServerClient({ url: t.server.url, apiKey: "nope" });
  assert.equal((await wrong.send("GET", "/api/status")).status, 401);
  const owner = new QueueServerClient({ url: t.server.url, apiKey: "single" });
  const added = await owner.post("/api/queue/item/add", { item: countPlan() });
  assert.equal(added["success"], true);
  const observer = new QueueServerClient({ url: t.server.url, apiKey: "obs-key" });
  assert.equal((await observer.send("GET", "/api/queue/get")).status, 200);
  assert.equal(
    (await observer.send("POST", "/api/queue/item/add", { item: countPlan() })).status,
    401,
  );
  // A group the permissions do not know cannot submit.
  const tom = new QueueServerClient({ url: t.server.url, apiKey: "tu-key" });
  assert.match(
    String((await tom.post("/api/queue/item/add", { item: countPlan() }))["msg"]),
    /Unknown user group: 'test_user'/,
  );
  await owner.post("/api/permissions/set", {
    user_group_permissions: {
      user_groups: {
        root: { allowed_plans: [null], allowed_devices: [null] },
        test_user: {
          allowed_plans: ["count"],
          allowed_devices: ["det"],
          forbidden_devices: [":^motor"],
        },
      },
    },
  });
  assert.equal((await tom.post("/api/queue/item/add", { item: countPlan() }))["success"], true);
  const refused = await tom.post("/api/queue/item/add", {
    item: { item_type: "plan", name: "count", args: [["det1"]] },
  });
  assert.match(String(refused["msg"]), /not in the list of allowed devices/);
  const plans = await tom.get("/api/plans/allowed");
  assert.deepEqual(Object.keys(plans["plans_allowed"] as object), ["count"]);
});
