// The distributed-analysis example: scans go through a Redis stream to two worker processes
// sharing a consumer group; each run's peak comes back as the documents of an analysis run.
//
// Run it:   node --import tsx packages/bus/examples/distributed-analysis/distributed-analysis.ts
// (it starts a throwaway redis-server unless REDIS_URL is set).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openRedisPublisher, openRedisSubscriber } from "@cerulean/bus";
import type { NamedDocument } from "@cerulean/event-model";
import { gaussianScanDocuments } from "../../src/testing/gaussian-scan.ts";
import { startRedisServer } from "../../src/testing/redis-server.ts";
import { ANALYSIS_OF } from "./peak-worker.ts";

const WORKER_SCRIPT = fileURLToPath(new URL("./peak-worker.ts", import.meta.url));

/** A worker child process and the progress lines it has printed. */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first progress line matching `predicate`. */
  waitFor(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** Starts `peak-worker.ts` as a child process (node --import tsx). */
export function spawnWorker(
  name: string,
  env: { redisUrl: string; beamline: string; fitDelayMs?: number; claimIdleMs?: number },
): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_SCRIPT], {
    env: {
      ...process.env,
      REDIS_URL: env.redisUrl,
      BEAMLINE: env.beamline,
      WORKER: name,
      FIT_DELAY_MS: String(env.fitDelayMs ?? 0),
      CLAIM_IDLE_MS: String(env.claimIdleMs ?? 60_000),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    predicate: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  return {
    name,
    child,
    lines,
    waitFor(predicate) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        child.once("exit", (code, signal) =>
          reject(
            new Error(
              `worker ${name} exited (code ${code}, signal ${signal}) before the expected line`,
            ),
          ),
        );
      });
    },
  };
}

/** Stops a worker (SIGTERM) and waits for it to exit. */
export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once("exit", resolve));
  worker.child.kill("SIGTERM");
  await exited;
}

/** One scan's result as it came back through the stream. */
export interface PeakResult {
  scan: string;
  trueCenter: number;
  peakCenter: number;
  worker: string;
}

/** Publishes `centers.length` scans and collects one analysis result per scan. */
export async function publishScansAndCollect(
  redisUrl: string,
  beamline: string,
  centers: number[],
): Promise<{ results: PeakResult[]; documents: NamedDocument[] }> {
  const listener = await openRedisSubscriber({ redis: redisUrl, beamline, from: "live" });
  const publisher = await openRedisPublisher({ redis: redisUrl, beamline });
  const truth = new Map<string, number>();
  for (const [i, center] of centers.entries()) {
    const docs = gaussianScanDocuments({ points: 41, center, metadata: { scan_id: i + 1 } });
    truth.set((docs[0]![1] as { uid: string }).uid, center);
    for (const named of docs) publisher.publish(...named);
  }
  await publisher.close();
  const documents: NamedDocument[] = [];
  const results: PeakResult[] = [];
  // Two workers publish at once, so their documents interleave: an event belongs to the run of
  // its descriptor, never to "the run opened last".
  const analyses = new Map<string, { scan: string; worker: string }>();
  const runOfDescriptor = new Map<string, string>();
  for await (const named of listener) {
    documents.push(named);
    const [name, doc] = named;
    if (name === "start" && ANALYSIS_OF in doc) {
      analyses.set(doc.uid, { scan: String(doc[ANALYSIS_OF]), worker: String(doc["worker"]) });
    }
    if (name === "descriptor") runOfDescriptor.set(doc.uid, doc.run_start);
    if (name === "event") {
      const run = analyses.get(runOfDescriptor.get(doc.descriptor) ?? "");
      const center = doc.data["peak_center"];
      if (run && typeof center === "number" && !results.some((r) => r.scan === run.scan)) {
        // (a repeat of a scan already seen is at-least-once delivery, not a new result)
        results.push({ ...run, trueCenter: truth.get(run.scan) ?? Number.NaN, peakCenter: center });
      }
    }
    if (results.length === centers.length) break;
  }
  await listener.close();
  return { results, documents };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const own = process.env["REDIS_URL"] ? undefined : await startRedisServer();
  const redisUrl = process.env["REDIS_URL"] ?? own!.url;
  const beamline = "example";
  const workers = [
    spawnWorker("w1", { redisUrl, beamline }),
    spawnWorker("w2", { redisUrl, beamline }),
  ];
  await Promise.all(workers.map((w) => w.waitFor((l) => l["event"] === "ready")));
  const { results } = await publishScansAndCollect(
    redisUrl,
    beamline,
    [-0.3, -0.1, 0.05, 0.2, 0.35, 0.5],
  );
  console.table(results);
  await Promise.all(workers.map(stopWorker));
  await own?.stop();
}
