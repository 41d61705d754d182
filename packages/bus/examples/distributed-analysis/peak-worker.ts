// A worker process of the distributed-analysis example. It joins the "peak-fit" consumer group
// of a beamline's Redis stream; when a scan's stop document reaches it, it reads the whole run
// back from the stream, finds the peak, and publishes the result as the documents of an
// "analysis" run into the same stream (where the catalog ingests them like any other run).
// It acknowledges the stop only after the results are in Redis: if it crashes in between, the
// stop is delivered again (to it on restart, or to another worker), so no scan goes unanalysed.
//
// Run: REDIS_URL=redis://127.0.0.1:6379 BEAMLINE=bl1 WORKER=w1 node --import tsx peak-worker.ts
import { pathToFileURL } from "node:url";
import { openRedisGroupConsumer, openRedisPublisher, readRunDocuments } from "@cerulean/bus";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { peakCentroid } from "./peak-centroid.ts";

export interface PeakWorkerOptions {
  redisUrl: string;
  beamline: string;
  /** This worker's name in the group (keep it across restarts). */
  consumer: string;
  group?: string;
  /** Pretend the fit takes this long (to show a crash mid-fit in the demo and tests). */
  fitDelayMs?: number;
  /** Take over fits left pending by a dead worker after this long (default 60 s). */
  claimIdleMs?: number;
  /** Progress lines ({"event":"ready"|"fitting"|"result", ...}); default: JSON on stdout. */
  report?: (line: Record<string, unknown>) => void;
  signal?: AbortSignal;
}

/** The start-document key that marks a run as a result of this analysis. */
export const ANALYSIS_OF = "analysis_of";

/** Runs a worker until `signal` aborts. */
export async function runPeakWorker(options: PeakWorkerOptions): Promise<void> {
  const report = options.report ?? ((line) => console.log(JSON.stringify(line)));
  const { redisUrl: redis, beamline, consumer } = options;
  const worker = await openRedisGroupConsumer({
    redis,
    beamline,
    group: options.group ?? "peak-fit",
    consumer,
    claimIdleMs: options.claimIdleMs,
    blockMs: 1000,
    onGap: (gap) => report({ event: "gap", message: gap.message }),
  });
  const results = await openRedisPublisher({ redis, beamline });
  options.signal?.addEventListener("abort", () => void worker.close(), { once: true });
  report({ event: "ready", consumer });
  try {
    for await (const entry of worker) {
      const [name, doc] = entry.document;
      if (name === "stop") {
        const docs = await readRunDocuments({ redis, beamline, run: doc.run_start });
        const start = docs[0]?.[1] as Record<string, unknown> | undefined;
        if (start && !(ANALYSIS_OF in start)) {
          report({ event: "fitting", run: doc.run_start, consumer });
          if (options.fitDelayMs) await new Promise((r) => setTimeout(r, options.fitDelayMs));
          for (const named of analysisRun(docs, consumer)) results.publish(...named);
          await results.flush();
          report({ event: "result", run: doc.run_start, consumer });
        }
      }
      await entry.ack();
    }
  } finally {
    await worker.close();
    await results.close();
  }
}

/** The documents of the analysis run that records a scan's peak. */
export function analysisRun(scan: NamedDocument[], consumer: string): NamedDocument[] {
  const [, start] = scan[0] as ["start", { uid: string; scan_id?: number }];
  const peak = peakCentroid(scan, "motor", "det");
  const run = composeRun({
    metadata: {
      plan_name: "peak_centroid",
      [ANALYSIS_OF]: start.uid,
      analysis_of_scan_id: start.scan_id ?? null,
      worker: consumer,
    },
  });
  const stream = run.composeDescriptor({
    name: "primary",
    data_keys: {
      peak_center: { dtype: "number", shape: [], source: "analysis:centroid(det vs motor)" },
      peak_height: { dtype: "number", shape: [], source: "analysis:max(det)" },
      points: { dtype: "integer", shape: [], source: "analysis:count" },
    },
  });
  const now = Date.now() / 1000;
  const event = stream.composeEvent({
    data: {
      peak_center: peak?.center ?? Number.NaN,
      peak_height: peak?.height ?? Number.NaN,
      points: peak?.points ?? 0,
    },
    timestamps: { peak_center: now, peak_height: now, points: now },
  });
  const stop = run.composeStop(
    peak ? {} : { exit_status: "fail", reason: "no peak: the detector signal is flat or missing" },
  );
  return [
    ["start", run.startDoc],
    ["descriptor", stream.descriptorDoc],
    ["event", event],
    ["stop", stop],
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => controller.abort());
  }
  await runPeakWorker({
    redisUrl: env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
    beamline: env["BEAMLINE"] ?? "sim",
    consumer: env["WORKER"] ?? `worker-${process.pid}`,
    fitDelayMs: env["FIT_DELAY_MS"] ? Number(env["FIT_DELAY_MS"]) : undefined,
    claimIdleMs: env["CLAIM_IDLE_MS"] ? Number(env["CLAIM_IDLE_MS"]) : undefined,
    signal: controller.signal,
  });
}
