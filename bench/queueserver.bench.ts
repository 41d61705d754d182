// The queue server: status latency (p50/p99) while a second process hammers the API, items
// added per second over HTTP (plain and by a guard-railed agent), the time from queue/start
// (and from approving an agent's held item) to the run's first document, and dry-run time.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueServerClient, startQueueServer } from "@cerulean/queueserver";
import { quick, report } from "./harness.ts";

const LOAD = `
import { request } from "node:http";
const url = process.argv[1];
const once = () => new Promise((resolve) => {
  const r = request(url + "/api/status", { method: "GET" }, (res) => { res.resume(); res.on("end", resolve); });
  r.on("error", resolve); r.end();
});
const loop = async () => { for (;;) await once(); };
for (let i = 0; i < 8; i++) loop();
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-qs-bench-"));
const server = await startQueueServer({ port: 0, dataDir });
const client = new QueueServerClient({ url: server.url });
try {
  // Status latency under load from another process.
  const load = spawn(process.execPath, ["--input-type=module", "-e", LOAD, server.url], {
    stdio: "ignore",
  });
  await new Promise((r) => setTimeout(r, 500));
  const n = quick ? 300 : 2000;
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await client.get("/api/status");
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  load.kill("SIGKILL");
  latencies.sort((a, b) => a - b);
  report({
    name: "queueserver.status_latency_p50_under_load",
    value: percentile(latencies, 0.5),
    unit: "ms",
    n,
  });
  report({
    name: "queueserver.status_latency_p99_under_load",
    value: percentile(latencies, 0.99),
    unit: "ms",
    n,
  });

  // Items added per second (validated, persisted, one request each).
  const items = quick ? 200 : 1000;
  const item = { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 1 } };
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < items; i++) await client.post("/api/queue/item/add", { item });
  let seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report({ name: "queueserver.items_added", value: items / seconds, unit: "items/s", n: items });
  await client.post("/api/queue/clear");

  // The same through an agent's limits (plans, motors, max_runs counted over the queue).
  await client.post("/api/agent/register", {
    name: "bench",
    limits: { plans: ["count", "scan"], motors: { motor1: [-5, 5] }, max_runs: 1e9 },
  });
  t0 = process.hrtime.bigint();
  for (let i = 0; i < items; i++)
    await client.post("/api/queue/item/add", { item, agent: "bench" });
  seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report({
    name: "queueserver.agent_items_added",
    value: items / seconds,
    unit: "items/s",
    n: items,
  });
  await client.post("/api/queue/clear");

  // queue/start to the first document, with the environment open.
  await client.post("/api/environment/open");
  while ((await client.get("/api/status"))["worker_environment_exists"] !== true)
    await new Promise((r) => setTimeout(r, 20));
  const trials = quick ? 3 : 10;
  const delays: number[] = [];
  for (let i = 0; i < trials; i++) {
    await client.post("/api/queue/item/add", { item });
    const first = new Promise<void>((resolve) => server.manager.once("document", () => resolve()));
    t0 = process.hrtime.bigint();
    await client.post("/api/queue/start");
    await first;
    delays.push(Number(process.hrtime.bigint() - t0) / 1e6);
    while ((await client.get("/api/status"))["manager_state"] !== "idle")
      await new Promise((r) => setTimeout(r, 10));
  }
  delays.sort((a, b) => a - b);
  seconds = percentile(delays, 0.5);
  report({ name: "queueserver.start_to_first_document", value: seconds, unit: "ms", n: trials });

  // Approving an agent's item the started queue holds at, to the run's first document.
  await client.post("/api/agent/register", { name: "gated", limits: {}, require_approval: true });
  const approvals: number[] = [];
  for (let i = 0; i < trials; i++) {
    const added = await client.post("/api/queue/item/add", { item, agent: "gated" });
    const uid = (added["item"] as { item_uid: string }).item_uid;
    await client.post("/api/queue/start");
    while ((await client.get("/api/status"))["approval_pending"] !== uid)
      await new Promise((r) => setTimeout(r, 5));
    const first = new Promise<void>((resolve) => server.manager.once("document", () => resolve()));
    t0 = process.hrtime.bigint();
    await client.post("/api/queue/item/approve", { uid });
    await first;
    approvals.push(Number(process.hrtime.bigint() - t0) / 1e6);
    while ((await client.get("/api/status"))["manager_state"] !== "idle")
      await new Promise((r) => setTimeout(r, 10));
  }
  approvals.sort((a, b) => a - b);
  report({
    name: "queueserver.approve_to_first_document",
    value: percentile(approvals, 0.5),
    unit: "ms",
    n: trials,
  });

  // Dry run (simulated: limits, agent motor ranges, duration) of a queue of 10-point scans.
  const scans = quick ? 10 : 50;
  const scanItem = { ...item, name: "scan", args: [["det"], "motor1", -1, 1], kwargs: { num: 10 } };
  for (let i = 0; i < scans; i++)
    await client.post("/api/queue/item/add", { item: scanItem, agent: "bench" });
  t0 = process.hrtime.bigint();
  const dry = await client.post("/api/queue/dry_run");
  seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if ((dry["results"] as unknown[]).length !== scans) throw new Error(String(dry["msg"]));
  report({
    name: "queueserver.dry_run",
    value: (seconds * 1000) / scans,
    unit: "ms/item",
    n: scans,
  });
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
