// RunEngine throughput on the simulated beamline with no subscribers (issue 4's figures).
// Python Bluesky 1.14 here: ~68,000 msgs/s bare dispatch, 420 points/s count, 180-200 points/s
// scan, 3,300 collected events/s.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, count, type Msg, msg, type Plan, RunEngine, run_wrapper } from "@cerulean/engine";
import type { PartialEvent } from "@cerulean/event-model";
import { quick, rate } from "./harness.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-bench-engine-"));
const hw = await createSimBeamline({ seed: 1, dataDir });
const RE = new RunEngine({ log: { info: () => {}, warn: (m) => console.error(m) } });
const options = quick ? { repeats: 2, warmup: 1 } : { repeats: 5, warmup: 1 };

// 1. Bare dispatch: open_run, N null messages, close_run.
const nNull = quick ? 10_000 : 100_000;
function* bare(): Plan<void> {
  yield msg("open_run");
  for (let i = 0; i < nNull; i++) yield msg("null");
  yield msg("close_run");
}
// A few more warm-up calls: the loop is only optimised after many iterations.
await rate("engine.dispatch_null", "msgs/s", nNull + 2, () => RE.call(bare()), {
  ...options,
  warmup: 3,
});

// 2. count([det], N).
const nCount = quick ? 1_000 : 10_000;
await rate("engine.count_det", "points/s", nCount, () => RE.call(count([hw.det], nCount)), options);

// 3. A scan of det1, det2 over motor from -1 to 1 (plan stubs: checkpoint, mv, trigger_and_read).
const nScan = quick ? 1_000 : 10_000;
function* scanLike(): Plan<string> {
  return yield* run_wrapper(
    (function* () {
      for (let i = 0; i < nScan; i++) {
        const x = -1 + (2 * i) / (nScan - 1);
        yield* bps.checkpoint();
        yield* bps.mv(hw.motor, x);
        yield* bps.trigger_and_read([hw.det1, hw.det2, hw.motor]);
      }
    })(),
    { md: { plan_name: "scan", num_points: nScan } },
  );
}
await rate("engine.scan_det1_det2_motor", "points/s", nScan, () => RE.call(scanLike()), options);

// For scale: the same device work without the engine (the sim devices bound the two above).
await rate(
  "engine.scan_devices_alone",
  "points/s",
  nScan,
  async () => {
    for (let i = 0; i < nScan; i++) {
      await hw.motor.set(-1 + (2 * i) / (nScan - 1));
      await Promise.all([hw.det1.trigger(), hw.det2.trigger()]);
      await Promise.all([hw.det1.read(), hw.det2.read(), hw.motor.read()]);
    }
  },
  options,
);

// The engine's own ceiling: count with a detector that costs nothing (done status, fixed reading).
const done = hw.trivial_flyer.kickoff();
const fast = {
  name: "fast",
  trigger: () => done,
  read: async () => ({ fast: { value: 1, timestamp: 0 } }),
  describe: async () => ({ fast: { dtype: "number" as const, shape: [], source: "bench:fast" } }),
};
await rate(
  "engine.count_free_detector",
  "points/s",
  nCount,
  () => RE.call(count([fast], nCount)),
  options,
);

// 4. collect of one flyer holding N partial events (one event page).
const nCollect = quick ? 10_000 : 100_000;
const events: PartialEvent[] = Array.from({ length: nCollect }, (_, i) => ({
  time: i,
  data: { x: i * 0.001, y: Math.sin(i) },
  timestamps: { x: i, y: i },
}));
const flyer = {
  name: "bench_flyer",
  kickoff: () => hw.trivial_flyer.kickoff(),
  complete: () => hw.trivial_flyer.complete(),
  describeCollect: async () => ({
    bench_flyer: {
      x: { dtype: "number" as const, shape: [], source: "bench:x" },
      y: { dtype: "number" as const, shape: [], source: "bench:y" },
    },
  }),
  collect: () => events,
};
const flyMessages: Msg[] = [
  msg("open_run"),
  msg("kickoff", flyer, { kwargs: { group: "k" } }),
  msg("wait", null, { kwargs: { group: "k" } }),
  msg("collect", flyer, { kwargs: { return_payload: false } }),
  msg("close_run"),
];
let pageRows = 0;
const token = RE.subscribe((name, doc) => {
  if (name === "event_page") pageRows += (doc as { seq_num: number[] }).seq_num.length;
});
await rate("engine.collect_event_page", "events/s", nCollect, () => RE.call(flyMessages), options);
RE.unsubscribe(token);
if (pageRows !== nCollect * ((options.repeats ?? 5) + (options.warmup ?? 1))) {
  throw new Error(`collect emitted ${pageRows} rows, expected ${nCollect} per call`);
}

rmSync(dataDir, { recursive: true, force: true });
