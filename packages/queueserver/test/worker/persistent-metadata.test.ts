// RE.md in the data directory: scan_id keeps counting across environment close/open and server
// restarts, as bluesky-queueserver's persistent RE.md does.
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  countPlan,
  idle,
  openEnvironment,
  startTestServer,
  type TestServer,
  tempDir,
  waitFor,
} from "../helpers.ts";

const dataDir = tempDir();
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `n` count items from the queue and returns every start's scan_id so far (start order). */
async function runCounts(t: TestServer, n: number, starts: number[]): Promise<number[]> {
  const before = starts.length;
  for (let i = 0; i < n; i++) await t.client.post("/api/queue/item/add", { item: countPlan(1) });
  assert.equal((await t.client.post("/api/queue/start"))["success"], true);
  await waitFor(t.client, (s) => idle(s) && s["items_in_queue"] === 0);
  assert.equal(starts.length, before + n, "every item ran one run");
  return [...starts];
}

async function closeEnvironment(t: TestServer): Promise<void> {
  assert.equal((await t.client.post("/api/environment/close"))["success"], true);
  await waitFor(t.client, (s) => idle(s) && s["worker_environment_exists"] === false);
}

test("scan_id continues across environment close/open and a server restart", async () => {
  const starts: number[] = [];
  const onDocument = (name: string, doc: unknown) => {
    if (name === "start") starts.push((doc as { scan_id: number }).scan_id);
  };
  const first = await startTestServer({ dataDir, onDocument });
  try {
    await openEnvironment(first.client);
    assert.deepEqual(await runCounts(first, 2, starts), [1, 2]);
    await closeEnvironment(first);
    await openEnvironment(first.client);
    assert.deepEqual(await runCounts(first, 1, starts), [1, 2, 3]);
    // The worker wrote the scan_id to the data directory as the run opened.
    const stored = JSON.parse(readFileSync(join(dataDir, "run-engine-md.json"), "utf8"));
    assert.equal(stored.scan_id, 3);
  } finally {
    await first.server.close();
  }
  const second = await startTestServer({ dataDir, onDocument });
  try {
    await openEnvironment(second.client);
    assert.deepEqual(await runCounts(second, 1, starts), [1, 2, 3, 4]);
  } finally {
    await second.server.close();
  }
});
