// `cerulean serve`: the whole service on a free port. Every run of the queue lands in the
// catalog, and the same port serves the web UI, the status API, the catalog's read API and the
// live documents on the WebSocket.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openCatalog } from "@cerulean/broker";
import { openRedisSubscriber, openWebSocketSubscriber } from "@cerulean/bus";
import { startRedisServer } from "@cerulean/bus/testing";
import { composeRun, type EventDescriptor, type NamedDocument } from "@cerulean/event-model";
import { assertValidStream, within } from "@cerulean/event-model/testing";
import { QueueServerClient } from "@cerulean/queueserver";
import { runServe, type ServeStack, startServeStack } from "../src/commands/serve.ts";
import { CliUsageError } from "../src/errors.ts";

/** A deadline for a whole run to stream: generous, it only turns a hang into a failure. */
const RUN_TIMEOUT_MS = 120_000;

async function waitFor(
  client: QueueServerClient,
  ok: (s: Record<string, unknown>) => boolean,
): Promise<void> {
  // Generous: the first environment open starts a worker process that compiles the profile.
  const end = Date.now() + 60_000;
  let last: Record<string, unknown> = {};
  while (Date.now() < end) {
    last = await client.get("/api/status");
    if (ok(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for the server's status; the last was ${JSON.stringify(last)}`,
  );
}

test("serve runs queued plans, streams their documents live and stores each run in the catalog", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-serve-"));
  const stop = new AbortController();
  let ready: (s: ServeStack) => void = () => {};
  const started = new Promise<ServeStack>((resolve) => {
    ready = resolve;
  });
  const lines: string[] = [];
  const done = runServe(["--port", "0", "--data-dir", dataDir, "--open-env"], {
    signal: stop.signal,
    print: (l) => lines.push(l),
    onReady: (s) => ready(s),
  });
  try {
    // A serve that fails to start never calls onReady: its rejection ends the wait instead.
    const stack = await within(
      Promise.race([
        started,
        done.then((code) => Promise.reject(new Error(`serve exited ${code} before it was ready`))),
      ]),
      "serve to be ready",
    );
    const text = lines.join("\n");
    assert.match(text, /web UI\s+http:\/\/127\.0\.0\.1:\d+\/\n/);
    assert.match(text, /queue API\s+http:\/\/127\.0\.0\.1:\d+\/api\s/);
    assert.match(text, /catalog API\s+http:\/\/127\.0\.0\.1:\d+\/api\/v1\s/);
    assert.match(text, /live documents\s+ws:\/\/127\.0\.0\.1:\d+\/api\/documents\/ws/);

    // The web UI: the page, its modules and the vendored libraries, from the same port.
    const page = await fetch(`${stack.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/ui\/app\.js">/);
    assert.match(html, /"documentsWs":"\/api\/documents\/ws"/);
    assert.equal((await fetch(`${stack.url}/ui/app.js`)).status, 200);
    assert.equal((await fetch(`${stack.url}/ui/vendor/preact/dist/preact.mjs`)).status, 200);

    const client = new QueueServerClient({ url: stack.url });
    await waitFor(client, (s) => s["worker_environment_exists"] === true);
    const documents = await openWebSocketSubscriber(stack.documentsUrl, { replay: "none" });
    const received: NamedDocument[] = [];
    const streamed = (async () => {
      for await (const named of documents) {
        received.push(named);
        if (named[0] === "stop") break;
      }
    })();
    await client.post("/api/queue/item/add", {
      item: { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 2 } },
    });
    await client.post("/api/queue/start");
    await within(streamed, "the run's documents on the WebSocket", RUN_TIMEOUT_MS).finally(() =>
      documents.close(),
    );
    assert.deepEqual(
      received.map(([name]) => name),
      ["start", "descriptor", "event", "event", "stop"],
    );
    assertValidStream(received);
    await waitFor(client, (s) => s["manager_state"] === "idle" && s["items_in_history"] === 1);

    // The catalog's read API on the same port finds the run (once the catalog committed it).
    const uid = received[0]?.[0] === "start" ? received[0][1].uid : "";
    await stack.catalog.flush();
    const node = await fetch(`${stack.catalogUrl}/metadata/${uid}`);
    assert.equal(node.status, 200);
  } finally {
    stop.abort();
    assert.equal(await within(done, "serve to stop after the abort"), 0);
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

test("serve reconstructs a tomography scan as it runs and streams the slices as a derived run", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-serve-"));
  const stack = await startServeStack({ dataDir, port: 0, openEnvironment: true });
  try {
    const client = new QueueServerClient({ url: stack.url });
    await waitFor(client, (s) => s["worker_environment_exists"] === true);
    const documents = await openWebSocketSubscriber(stack.documentsUrl, { replay: "none" });
    const received: NamedDocument[] = [];
    const streamed = (async () => {
      for await (const named of documents) {
        received.push(named);
        if (received.filter(([name]) => name === "stop").length === 2) break;
      }
    })();
    const ok = await client.post("/api/queue/item/add", {
      item: { item_type: "plan", name: "scan", args: [["tomo_det"], "rot", 0, 180, 12] },
    });
    assert.equal(ok["success"], true, String(ok["msg"]));
    await client.post("/api/queue/start");
    await within(streamed, "the run's documents on the WebSocket", RUN_TIMEOUT_MS).finally(() =>
      documents.close(),
    );
    const starts = received.flatMap(([name, doc]) => (name === "start" ? [doc] : []));
    const scan = starts.find((d) => d["plan_name"] === "scan");
    const derivedStart = starts.find((d) => d["plan_name"] === "streaming_fbp");
    assert.ok(scan && derivedStart, "the scan and its reconstruction both streamed");
    assert.equal(derivedStart["parent_uid"], scan.uid);
    const descriptor = received.find(
      ([name, doc]) => name === "descriptor" && doc.run_start === derivedStart.uid,
    )?.[1] as EventDescriptor;
    const derived = received.filter(
      ([name, doc]) =>
        doc === derivedStart ||
        doc === descriptor ||
        (name === "event" && doc.descriptor === descriptor.uid) ||
        (name === "stop" && doc.run_start === derivedStart.uid),
    );
    assertValidStream(derived);
    const slices = derived.flatMap(([name, doc]) => (name === "event" ? [doc] : []));
    assert.equal(slices.length, 12, "one slice per projection");
    const last = slices[11]?.data["slice"] as number[][];
    assert.deepEqual([last.length, last[0]?.length], [64, 64]);
    assert.equal(derived.at(-1)?.[0], "stop");
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("serve --redis keeps the queue in Redis across a restart and publishes runs to the stream", async () => {
  const redis = await startRedisServer();
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-serve-redis-"));
  const options = {
    dataDir,
    port: 0,
    redis: redis.url,
    beamline: "bl-test",
    openEnvironment: true,
  };
  try {
    const first = await startServeStack(options);
    const stream = await openRedisSubscriber({
      redis: redis.url,
      beamline: "bl-test",
      from: "live",
    });
    const streamed: NamedDocument[] = [];
    const reading = (async () => {
      for await (const named of stream) {
        streamed.push(named);
        if (named[0] === "stop") break;
      }
    })();
    const client = new QueueServerClient({ url: first.url });
    await waitFor(client, (s) => s["worker_environment_exists"] === true);
    const count = { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 3 } };
    await client.post("/api/queue/item/add", { item: count });
    await client.post("/api/queue/start");
    await within(reading, "the run's documents on the Redis stream", RUN_TIMEOUT_MS).finally(() =>
      stream.close(),
    );
    assert.deepEqual(
      streamed.map(([name]) => name),
      ["start", "descriptor", "event", "event", "event", "stop"],
    );
    await waitFor(client, (s) => s["manager_state"] === "idle" && s["items_in_history"] === 1);
    const queued = await client.post("/api/queue/item/add", { item: count });
    await first.close();
    // The SQLite default was not used: the state is in Redis only.
    const second = await startServeStack({
      ...options,
      dataDir: mkdtempSync(join(tmpdir(), "x-")),
    });
    try {
      const again = new QueueServerClient({ url: second.url });
      const status = await again.get("/api/status");
      assert.equal(status["items_in_queue"], 1);
      assert.equal(status["items_in_history"], 1);
      const items = (await again.get("/api/queue/get"))["items"] as { item_uid: string }[];
      assert.equal(items[0]?.item_uid, (queued["item"] as { item_uid: string }).item_uid);
    } finally {
      await second.close();
    }
  } finally {
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("serve closes, as failed, a queue run that a crash of the server left open", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-serve-orphan-"));
  const open = (md: Record<string, unknown>) => {
    const run = composeRun({ metadata: { plan_name: "count", ...md } });
    const stream = run.composeDescriptor({
      name: "primary",
      data_keys: { det: { dtype: "number", shape: [], source: "SIM:det" } },
    });
    const docs: NamedDocument[] = [
      ["start", run.startDoc],
      ["descriptor", stream.descriptorDoc],
      ["event", stream.composeEvent({ data: { det: 1 }, timestamps: { det: 1 } })],
    ];
    return { uid: run.startDoc.uid, docs, stop: run.composeStop() };
  };
  const orphan = open({ queue_item_uid: "item-1", scan_id: 7 });
  const finished = open({ queue_item_uid: "item-0", scan_id: 6 });
  const notFromQueue = open({ scan_id: 8 }); // e.g. a `cerulean run` still going elsewhere
  const before = await openCatalog(join(dataDir, "catalog.sqlite"));
  for (const { docs } of [orphan, finished, notFromQueue])
    for (const d of docs) before.insert(...d);
  before.insert("stop", finished.stop);
  await before.flush();
  await before.close();
  const messages: string[] = [];
  const stack = await startServeStack({ dataDir, port: 0, onError: (m) => messages.push(m) });
  try {
    const stop = (await stack.catalog.get(orphan.uid)).stop;
    assert.equal(stop?.exit_status, "fail");
    assert.match(stop?.reason ?? "", /server stopped during the run/);
    assert.equal((await stack.catalog.get(finished.uid)).stop?.uid, finished.stop.uid);
    assert.equal((await stack.catalog.get(notFromQueue.uid)).stop, null);
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? "", /scan_id 7\) was left open by a crash/);
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("serve --help describes the web UI and exits without starting anything", async () => {
  const lines: string[] = [];
  assert.equal(await runServe(["--help"], { print: (l) => lines.push(l) }), 0);
  assert.match(lines.join("\n"), /web UI at \//);
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
