// `cerulean serve`: the queue server on a free port, every run of the queue in the catalog.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openCatalog } from "@cerulean/broker";
import { type QueueServer, QueueServerClient } from "@cerulean/queueserver";
import { runServe } from "../src/commands/serve.ts";
import { CliUsageError } from "../src/errors.ts";

async function waitFor(
  client: QueueServerClient,
  ok: (s: Record<string, unknown>) => boolean,
): Promise<void> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (ok(await client.get("/api/status"))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting for the server");
}

test("serve runs queued plans and stores each run, tagged with its queue item, in the catalog", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-serve-"));
  const stop = new AbortController();
  let ready: (s: QueueServer) => void = () => {};
  const started = new Promise<QueueServer>((resolve) => {
    ready = resolve;
  });
  const lines: string[] = [];
  const done = runServe(["--port", "0", "--data-dir", dataDir, "--open-env"], {
    signal: stop.signal,
    print: (l) => lines.push(l),
    onReady: (s) => ready(s),
  });
  try {
    const server = await started;
    assert.match(lines[0] ?? "", /listening on http:\/\/127\.0\.0\.1:\d+\/api/);
    const client = new QueueServerClient({ url: server.url });
    await waitFor(client, (s) => s["worker_environment_exists"] === true);
    await client.post("/api/queue/item/add", {
      item: { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 2 } },
    });
    await client.post("/api/queue/start");
    await waitFor(client, (s) => s["manager_state"] === "idle" && s["items_in_history"] === 1);
  } finally {
    stop.abort();
    assert.equal(await done, 0);
  }
  const catalog = await openCatalog(join(dataDir, "catalog.sqlite"));
  try {
    const run = await catalog.get(-1);
    assert.equal(typeof run.metadata.start["queue_item_uid"], "string");
    assert.equal(run.metadata.stop?.exit_status, "success");
  } finally {
    await catalog.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("serve refuses a public address without an API key", async () => {
  await assert.rejects(
    runServe([
      "--host",
      "0.0.0.0",
      "--port",
      "0",
      "--data-dir",
      mkdtempSync(join(tmpdir(), "cerulean-serve-")),
    ]),
    /without an API key/,
  );
  await assert.rejects(runServe(["--port", "x"]), CliUsageError);
});
