// bench/README-figures.md: the headline figures for the root README, taken from the same run
// that writes bench/RESULTS.md (so the two always agree), beside Python Bluesky 1.14's.
import type { BenchResult } from "./harness.ts";
import { type BenchRun, formatValue, machineLines } from "./results.ts";

interface Headline {
  what: string;
  /** Figure names in order of preference (a quick run has only the small sizes). */
  names: string[];
  bluesky: string;
}

const HEADLINES: Headline[] = [
  {
    what: "Bare dispatch (`null` messages)",
    names: ["engine.dispatch_null"],
    bluesky: "68,000 msgs/s",
  },
  { what: "`count([det], N)`", names: ["engine.count_det"], bluesky: "422 points/s" },
  {
    what: "Scan of two detectors over a motor",
    names: ["engine.scan_det1_det2_motor"],
    bluesky: "178-196 points/s",
  },
  {
    what: "Collected events (one flyer, event pages)",
    names: ["engine.collect_event_page"],
    bluesky: "3,300 events/s",
  },
  {
    what: "`cerulean run` scan, 10,000 points, into the catalog and a JSON-lines file (in process)",
    names: ["e2e-scan.run_catalog_jsonl_10000", "e2e-scan.run_catalog_jsonl_1000"],
    bluesky: "",
  },
  {
    what: "the same, as a ratio to the bare engine on the same plan",
    names: ["e2e-scan.run_catalog_jsonl_vs_bare_10000", "e2e-scan.run_catalog_jsonl_vs_bare_1000"],
    bluesky: "",
  },
  {
    what: "the same, the real command (`node packages/cli/bin/cerulean.js run ...`, start-up included)",
    names: ["e2e-scan.cli_10000", "e2e-scan.cli_1000"],
    bluesky: "",
  },
  {
    what: "Peak RSS of that command, 10,000-point scan",
    names: ["e2e-scan.cli_peak_rss_10000", "e2e-scan.cli_peak_rss_1000"],
    bluesky: "79 MiB",
  },
  {
    what: "Fly scan, 1,000,000 events collected in pages into the catalog",
    names: ["e2e-fly.catalog_1000000", "e2e-fly.catalog_100000"],
    bluesky: "",
  },
  {
    what: "Queue server, 100 short plans back to back",
    names: ["e2e-queue.plans_100", "e2e-queue.plans_10"],
    bluesky: "",
  },
  {
    what: "Queue server overhead per plan (beyond the bare engine)",
    names: ["e2e-queue.overhead_per_plan_100", "e2e-queue.overhead_per_plan_10"],
    bluesky: "",
  },
];

/** Rows of a scaling table: one figure at its sizes, `<base>_<size>`. */
function scaling(results: readonly BenchResult[], base: string): string {
  const rows = results.filter((r) => r.name.startsWith(`${base}_`) && /_\d+$/.test(r.name));
  return rows
    .map((r) => `${formatValue(r.value)} ${r.unit} at ${r.n.toLocaleString("en-US")}`)
    .join("; ");
}

export function readmeFigures(run: BenchRun, results: readonly BenchResult[]): string {
  const byName = new Map(results.map((r) => [r.name, r]));
  const out = [
    "## Performance",
    "",
    `Measured by \`npm run bench\` (${run.quick ? "a **quick** run, `npm run bench -- --quick`: small sizes only" : "a full run"}); every figure below is copied by that run from`,
    "`bench/RESULTS.md` of the same commit, where the whole set (per package, with each",
    "benchmark's peak memory) is. Python Bluesky 1.14 figures are the reference measurements on",
    "the same kind of machine (simulated devices, no subscribers unless stated).",
    "",
    ...machineLines(run),
    "",
    "| | Cerulean | Python Bluesky 1.14 | figure in RESULTS.md |",
    "|---|---:|---:|---|",
  ];
  for (const h of HEADLINES) {
    const found = h.names.map((n) => byName.get(n)).find((r) => r !== undefined);
    const value = found ? `${formatValue(found.value)} ${found.unit}` : "not measured";
    out.push(
      `| ${h.what} | ${value} | ${h.bluesky || "-"} | ${found ? `\`${found.name}\`` : "-"} |`,
    );
  }
  out.push("", "How cost grows with the work (flat per point is the goal):", "");
  for (const [label, base] of [
    ["`cerulean run` scan, in process", "e2e-scan.run_catalog_jsonl"],
    ["`cerulean run` scan, the real command", "e2e-scan.cli"],
    ["bare engine, same scan", "e2e-scan.bare_engine"],
    ["fly scan into the catalog", "e2e-fly.catalog"],
    ["queue server", "e2e-queue.plans"],
  ] as const) {
    const line = scaling(results, base);
    if (line) out.push(`- ${label}: ${line}`);
  }
  out.push(
    "",
    "Reproduce (about 15 minutes in full; `-- --quick` for a two-minute smoke run):",
    "",
    "```sh",
    "npm run bench            # writes bench/RESULTS.md and bench/README-figures.md",
    "npm run bench -- engine  # only the files whose name contains 'engine' (no RESULTS.md)",
    "```",
    "",
  );
  return out.join("\n");
}
