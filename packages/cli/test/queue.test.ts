// `cerulean queue`: status, add, list, history against a real server.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startQueueServer } from "@cerulean/queueserver";
import { runQueue } from "../src/commands/queue.ts";
import { CliUsageError } from "../src/errors.ts";

test("queue add, list, status and history talk to the server; refusals exit 1", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-queue-"));
  const server = await startQueueServer({ port: 0, dataDir });
  try {
    const lines: string[] = [];
    const q = (...args: string[]) =>
      runQueue([...args, "--url", server.url], { print: (l) => lines.push(l) });
    assert.equal(await q("add", "count", '[["det"]]', '{"num": 2}'), 0);
    assert.match(lines.at(-1) ?? "", /^ok \(item [0-9a-f-]+, queue size 1\)/);
    assert.equal(await q("add", "count", '[["nope"]]'), 1);
    assert.match(lines.at(-1) ?? "", /refused: Plan validation failed/);
    assert.equal(await q("list"), 0);
    assert.match(lines.at(-1) ?? "", /count\[\["det"\]\] \{"num":2\}/);
    assert.equal(await q("start"), 1);
    assert.match(lines.at(-1) ?? "", /environment does not exist/);
    lines.length = 0;
    assert.equal(await q("status"), 0);
    assert.ok(lines.some((l) => /items_in_queue\s+1/.test(l)));
    assert.equal(await q("history"), 0);
    await assert.rejects(q("dance"), CliUsageError);
    await assert.rejects(q("add", "count", "[oops"), CliUsageError);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
