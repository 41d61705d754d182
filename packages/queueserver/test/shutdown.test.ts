// Stopping the server while a plan runs: the plan is aborted (its cleanup runs and its run ends
// 'abort'), the item goes to history as aborted and back to the front of the queue.
import assert from "node:assert/strict";
import { it } from "node:test";
import { SqliteQueueStorage } from "../src/index.ts";
import { countPlan, startWithEnvironment, tempDir, waitFor } from "./helpers.ts";

it("closing the server mid-plan aborts the plan instead of killing it", async () => {
  const docs: [string, Record<string, unknown>][] = [];
  const dataDir = tempDir();
  const t = await startWithEnvironment(docs, { dataDir });
  const added = await t.client.post("/api/queue/item/add", { item: countPlan(200, 0.05) });
  const uid = (added["item"] as { item_uid: string }).item_uid;
  await t.client.post("/api/queue/start");
  await waitFor(t.client, () => docs.some(([name]) => name === "event"));
  await t.server.close();

  const stops = docs.filter(([name]) => name === "stop").map(([, doc]) => doc);
  assert.equal(stops.length, 1);
  assert.equal(stops[0]?.["exit_status"], "abort");
  assert.match(String(stops[0]?.["reason"]), /shutting down/);
  const storage = new SqliteQueueStorage(`${dataDir}/queue.sqlite`);
  try {
    const history = storage.loadHistory();
    assert.equal(history.at(-1)?.item_uid, uid);
    assert.equal(history.at(-1)?.result?.exit_status, "aborted");
    assert.equal(storage.loadQueue()[0]?.name, "count", "the item is back at the front");
  } finally {
    storage.close();
    await t[Symbol.asyncDispose]();
  }
});
