// End to end: the queue server (HTTP API, manager, worker process, catalog subscribed as
// `cerulean serve` does) running N short plans, count([det], 1), back to back: plans per
// minute, and the overhead per plan beyond the same plan on a bare engine. Also the worker
// process's peak RSS (read from /proc while it lives: it is a child of this process).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCatalog } from "@cerulean/broker";
import { createSimBeamline } from "@cerulean/devices/sim";
import { count, RunEngine } from "@cerulean/engine";
import { QueueServerClient, startQueueServer } from "@cerulean/queueserver";
import { cost, quick, report } from "./harness.ts";

const sizes = quick ? [10, 100] : [10, 100, 1000];
const work = mkdtempSync(join(tmpdir(), "cerulean-bench-e2e-queue-"));
const item = { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 1 } };

// The same plan on a bare engine in this process: what the queue adds is the rest.
const hw = await createSimBeamline({ seed: 1, dataDir: join(work, "bare-files") });
const RE = new RunEngine({ log: { info: () => {}, warn: (m) => console.error(m) } });
const bare = await cost("e2e-queue.bare_engine_count_1", 1, () => RE.call(count([hw.det], 1)), {
  repeats: 51,
  warmup: 10,
});
const bareMs = bare.value / 1000;

/** Peak RSS (MiB) of this process's children, from /proc (Linux); NaN elsewhere. */
function childrenPeakRssMiB(): number {
  let peak = Number.NaN;
  try {
    for (const task of readdirSync("/proc/self/task")) {
      const children = readFileSync(`/proc/self/task/${task}/children`, "utf8").trim();
      for (const pid of children.split(/\s+/).filter(Boolean)) {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
        if (Number.isFinite(kb)) peak = Number.isNaN(peak) ? kb / 1024 : Math.max(peak, kb / 1024);
      }
    }
  } catch {
    // Not Linux, or the child already gone: no figure.
  }
  return peak;
}

const dataDir = join(work, "data");
const catalog = await openCatalog(join(work, "catalog.sqlite"));
let succeeded = 0;
const server = await startQueueServer({
  port: 0,
  dataDir,
  onDocument: (name, doc) => {
    catalog.insert(name as never, doc as never);
    if (name === "stop" && (doc as { exit_status?: string }).exit_status === "success") succeeded++;
  },
});
const client = new QueueServerClient({ url: server.url });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilIdle(): Promise<void> {
  while (server.manager.state !== "idle" || server.manager.queue.size > 0) await sleep(2);
}

try {
  await client.post("/api/environment/open");
  while ((await client.get("/api/status"))["worker_environment_exists"] !== true) await sleep(20);
  // Warm-up: the worker's first plans pay for loading and compiling.
  for (let i = 0; i < 3; i++) await client.post("/api/queue/item/add", { item });
  await client.post("/api/queue/start");
  await untilIdle();

  for (const plans of sizes) {
    for (let i = 0; i < plans; i++) await client.post("/api/queue/item/add", { item });
    succeeded = 0;
    const t0 = process.hrtime.bigint();
    await client.post("/api/queue/start");
    await untilIdle();
    // The last stop document may still be on its way from the worker when the manager is idle.
    for (let waited = 0; succeeded < plans && waited < 5000; waited += 2) await sleep(2);
    await catalog.flush();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (succeeded !== plans) throw new Error(`${succeeded} of ${plans} plans succeeded`);
    report({
      name: `e2e-queue.plans_${plans}`,
      unit: "plans/min",
      n: plans,
      value: (plans / seconds) * 60,
    });
    report({
      name: `e2e-queue.overhead_per_plan_${plans}`,
      unit: "ms",
      n: plans,
      value: (seconds / plans) * 1000 - bareMs,
    });
    // Sizes grow, so each peak so far is the peak of the longest queue yet.
    const workerRss = childrenPeakRssMiB();
    if (Number.isFinite(workerRss)) {
      report({
        name: `e2e-queue.worker_peak_rss_${plans}`,
        unit: "MiB",
        n: plans,
        value: workerRss,
      });
    }
    report({
      name: `e2e-queue.server_peak_rss_${plans}`,
      unit: "MiB",
      n: plans,
      value: process.resourceUsage().maxRSS / 1024,
    });
  }
} finally {
  await server.close();
  await catalog.close();
  rmSync(work, { recursive: true, force: true });
}
