// The patterns of user_group_permissions.yaml: Python regexes as Python reads them, device
// patterns per level of the dotted name, and a pattern that cannot compile refused at once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RequestFailedError } from "../../src/errors.ts";
import { deviceMatcher, nameMatcher, pythonRegExp } from "../../src/manager/permission-patterns.ts";
import { allowedNames, checkPermissions } from "../../src/manager/permissions.ts";
import { startTestServer } from "../helpers.ts";

const pick = (matcher: (name: string) => boolean, names: string[]) => names.filter(matcher);

describe("permission patterns", () => {
  it("reads Python's inline flags and named groups", () => {
    assert.equal(pythonRegExp("(?i)^COUNT").test("count"), true);
    assert.equal(pythonRegExp("(?P<kind>det)\\d(?P=kind)").test("det1det"), true);
    assert.throws(() => pythonRegExp("(?x) a b"), /verbose/);
  });

  it("matches plan names exactly, or by regex search", () => {
    const names = ["count", "scan", "_private", "rel_scan"];
    assert.deepEqual(pick(nameMatcher("scan"), names), ["scan"]);
    assert.deepEqual(pick(nameMatcher(":scan$"), names), ["scan", "rel_scan"]);
    assert.deepEqual(pick(nameMatcher(":^_"), names), ["_private"]);
  });

  it("chains device components by level: + includes, - only searches below, ? takes the rest", () => {
    const names = ["det1", "det1.val", "det1.val.raw", "motor", "motor.user_readback", "_hidden"];
    assert.deepEqual(pick(deviceMatcher(":^det1$"), names), ["det1"]);
    assert.deepEqual(pick(deviceMatcher(":-^det1$"), names), []);
    assert.deepEqual(pick(deviceMatcher(":-^det1$:^val$"), names), ["det1.val"]);
    assert.deepEqual(pick(deviceMatcher(":^_:?.*"), names), ["_hidden"]);
    assert.deepEqual(pick(deviceMatcher(":^det1$:?.*"), names), [
      "det1",
      "det1.val",
      "det1.val.raw",
    ]);
    assert.deepEqual(pick(deviceMatcher(":?.*:depth=1"), names), ["det1", "motor", "_hidden"]);
  });

  it("refuses a pattern that cannot compile, naming it, instead of matching nothing", () => {
    const permissions = {
      user_groups: {
        root: { allowed_plans: [null], forbidden_plans: [":["] },
      },
    };
    assert.throws(
      () => checkPermissions(permissions),
      (err: Error) =>
        err instanceof RequestFailedError && /Invalid pattern ':\['/.test(err.message),
    );
  });

  it("applies a case-insensitive forbidden pattern over HTTP", async () => {
    await using t = await startTestServer();
    const set = await t.client.post("/api/permissions/set", {
      user_group_permissions: {
        user_groups: {
          root: { allowed_plans: [null], allowed_devices: [null] },
          primary: {
            allowed_plans: [null],
            forbidden_plans: [":(?i)^COUNT$"],
            allowed_devices: [null],
            forbidden_devices: [":-^det1$"],
          },
        },
      },
    });
    assert.equal(set["success"], true, String(set["msg"]));
    const plans = Object.keys(
      (await t.client.get("/api/plans/allowed"))["plans_allowed"] as object,
    );
    assert.ok(!plans.includes("count"), "count is forbidden by (?i)^COUNT$");
    assert.ok(plans.length > 0);
    const refused = await t.client.post("/api/permissions/set", {
      user_group_permissions: { user_groups: { root: { allowed_plans: [":("] } } },
    });
    assert.equal(refused["success"], false);
    assert.match(String(refused["msg"]), /Invalid pattern ':\('/);
    // "-" on the only level excludes nothing (its matches are only searched below).
    const groups = (await t.client.get("/api/permissions/get"))["user_group_permissions"];
    const devices = allowedNames(groups as never, "primary", "devices", ["det1", "det2"]);
    assert.deepEqual(devices, ["det1", "det2"]);
  });
});
