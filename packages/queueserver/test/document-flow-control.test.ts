// The worker does not outrun what the manager does with the documents: past its high-water mark
// (one row here) a document waits until the manager's listeners (a catalog commit) are done
// with everything sent so far, and the plan waits with it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { WORKER_ENV } from "../src/worker/protocol.ts";
import { countPlan, idle, openEnvironment, startTestServer, waitFor } from "./helpers.ts";

// Read by the worker process this file's server starts (each test file is its own process).
process.env[WORKER_ENV.documentHighWater] = "1";

test("each event is handled by the manager's listener before the plan produces the next", async () => {
  const log: string[] = [];
  await using t = await startTestServer({
    onDocument: async (name, doc) => {
      if (name !== "event") return;
      const seq = (doc as { seq_num: number }).seq_num;
      log.push(`event ${seq} received`);
      await sleep(30); // a slow catalog commit
      log.push(`event ${seq} stored`);
    },
  });
  await openEnvironment(t.client);
  const added = await t.client.post("/api/queue/item/add", { item: countPlan(3) });
  assert.equal(added["success"], true, String(added["msg"]));
  await t.client.post("/api/queue/start");
  await waitFor(t.client, (s) => idle(s) && s["items_in_history"] === 1);
  const history = await t.client.get("/api/history/get");
  const [item] = history["items"] as { result: { exit_status: string } }[];
  assert.equal(item?.result.exit_status, "completed");
  assert.deepEqual(log, [
    "event 1 received",
    "event 1 stored",
    "event 2 received",
    "event 2 stored",
    "event 3 received",
    "event 3 stored",
  ]);
});
