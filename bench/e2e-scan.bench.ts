// End to end: `scan([det], motor, -1, 1, N)` through the `cerulean run` machinery into the
// catalog (SQLite) and a JSON-lines file, against the bare engine on the same plan; in-process
// (runRun, the command's own code) and as the real command in a child process (Node start-up,
// tsx, the beamline, the catalog and the file included), whose peak RSS is reported too.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runRun } from "@cerulean/cli";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bp, RunEngine } from "@cerulean/engine";
import { timeNode } from "./child.ts";
import { quick, rate, rates, report } from "./harness.ts";

const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "packages/cli/bin/cerulean.js");
// Quick mode keeps the 10,000-point headline (Python Bluesky's figure is for that size).
const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const work = mkdtempSync(join(tmpdir(), "cerulean-bench-e2e-scan-"));

function expression(n: number): string {
  return `scan([det], motor, -1, 1, ${n})`;
}

/** Checks the JSON-lines file holds the n events of the scan: a silent loss is not a speed-up. */
function checkEvents(file: string, n: number): void {
  const lines = readFileSync(file, "utf8").split("\n");
  const events = lines.filter((l) => l.startsWith('["event"')).length;
  if (events !== n) throw new Error(`${file} holds ${events} events, expected ${n}`);
}

const hw = await createSimBeamline({ seed: 1, dataDir: join(work, "bare-files") });
const RE = new RunEngine({ log: { info: () => {}, warn: (m) => console.error(m) } });
let counter = 0;

try {
  for (const n of sizes) {
    // One long run is its own warm-up (the smaller size ran the same code just before).
    const long = n >= 100_000 || (quick && n >= 10_000);
    const options = long ? { repeats: 1, warmup: 0 } : { repeats: n >= 10_000 || quick ? 3 : 5 };

    // The bare engine, and the command's code in this process (beamline, engine, catalog,
    // JSON lines, no table), timed in turn.
    const [bare, inProcess] = await rates(
      "points/s",
      n,
      [
        {
          name: `e2e-scan.bare_engine_${n}`,
          run: () => RE.call(bp.scan([hw.det], hw.motor, -1, 1, n)),
        },
        {
          name: `e2e-scan.run_catalog_jsonl_${n}`,
          run: async () => {
            const dataDir = join(work, `run-${n}`);
            const jsonl = join(work, `run-${n}-${counter++}.jsonl`);
            const argv = [expression(n), "--quiet", "--data", dataDir, "--jsonl", jsonl];
            const code = await runRun(argv, { print: () => {} });
            if (code !== 0) throw new Error(`cerulean run ${expression(n)} exited with ${code}`);
            checkEvents(jsonl, n);
            rmSync(jsonl, { force: true });
          },
        },
      ],
      options,
    );
    if (!bare || !inProcess) throw new Error("rates() returned fewer figures than contenders");
    report({
      name: `e2e-scan.run_catalog_jsonl_vs_bare_${n}`,
      unit: "ratio",
      n,
      value: inProcess.value / bare.value,
    });

    // The real command, as a user types it (quick mode: the 10,000-point headline only, as
    // the smaller size mostly measures Node's start-up, reported below anyway).
    if (quick && n < 10_000) continue;
    let peak = 0;
    const command = await rate(
      `e2e-scan.cli_${n}`,
      "points/s",
      n,
      async () => {
        const dataDir = join(work, `cli-${n}`);
        const jsonl = join(work, `cli-${n}-${counter++}.jsonl`);
        const args = [cli, "run", expression(n), "--quiet", "--data", dataDir, "--jsonl", jsonl];
        const child = await timeNode(args, root);
        peak = Math.max(peak, child.peakRssMiB);
        checkEvents(jsonl, n);
        rmSync(jsonl, { force: true });
      },
      { repeats: n >= 10_000 ? 1 : quick ? 1 : 3, warmup: 0 },
    );
    report({
      name: `e2e-scan.cli_vs_bare_${n}`,
      unit: "ratio",
      n,
      value: command.value / bare.value,
    });
    if (Number.isFinite(peak)) {
      report({ name: `e2e-scan.cli_peak_rss_${n}`, unit: "MiB", n, value: peak });
    }
  }

  // The fixed cost of the command: a 1-point count, start to exit.
  const startup = await timeNode(
    [cli, "run", "count([det], 1)", "--quiet", "--data", join(work, "startup")],
    root,
  );
  report({ name: "e2e-scan.cli_one_point_wall", unit: "s", n: 1, value: startup.seconds });
  if (Number.isFinite(startup.peakRssMiB)) {
    // The fixed memory of the command (Node, tsx, the packages): the rest grows with the scan.
    report({
      name: "e2e-scan.cli_one_point_peak_rss",
      unit: "MiB",
      n: 1,
      value: startup.peakRssMiB,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
