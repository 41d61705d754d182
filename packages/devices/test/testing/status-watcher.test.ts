import { equal, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import { StatusBase } from "../../src/index.ts";
import { StatusWatcher } from "../../src/testing/index.ts";

describe("StatusWatcher", () => {
  it("waits for a matching update, and fails if the status ends without one", async () => {
    const status = new StatusBase({ operation: "op" });
    const watcher = new StatusWatcher(status);
    setTimeout(() => status.reportProgress({ current: 2, initial: 0, target: 4 }), 1);
    equal((await watcher.waitFor((u) => u.current === 2)).target, 4);
    const never = watcher.waitFor((u) => u.current === 99);
    status.setFinished();
    await rejects(never, /finished without a matching progress update/);
  });
});
