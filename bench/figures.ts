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
    what: "of which fixed: the same command running a 1-point count (Node, tsx, the packages)",
    names: ["e2e-scan.cli_one_point_peak_rss"],
    bluesky: "",
  },
  {
    what: "Fly scan, 1,000,000 events collected in pages into the catalog",
    names: ["e2e-fly.catalog_1000000", "e2e-fly.catalog_100000"],
    bluesky: "",
  },
  {
    what: "Peak RSS of that fly scan (the whole process: engine, flyer, catalog)",
    names: ["e2e-fly.peak_rss_1000000", "e2e-fly.peak_rss_100000"],
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
  {
    what: "Peak RSS of the queue worker process after those 100 plans",
    names: ["e2e-queue.worker_peak_rss_100", "e2e-queue.worker_peak_rss_10"],
    bluesky: "",
  },
];

/** Rows of a scaling table: one figure at its sizes, `<base>_<size>`. */
function scaling(results: readonly BenchResult[], base: string): string {
  const own = new RegExp(`^${base.replace(/[.]/g, "\\.")}_\\d+$`);
  const rows = results.filter((r) => own.test(r.name));
  return rows
    .map((r) => `${formatValue(r.value)} ${r.unit} at ${r.n.toLocaleString("en-US")}`)
    .join("; ");
}

export function readmeFigures(run: BenchRun, results: readonly BenchResult[]): string {
  const byName = new Map(results.map((r) => [r.name, r]));
  const out = [
    "## Performance",
    "",
    `Measured by \`npm run bench\`${run.quick ? " in **quick** mode (`-- --quick`: the smaller sizes only)" : ""}.`,
    "Every figure below is copied by that run from `bench/RESULTS.md` of the same commit, which",
    "holds the whole set (per package, with each benchmark's peak memory). The Python Bluesky 1.14",
    "figures are reference measurements on the same kind of machine (simulated devices, no",
    "subscribers unless stated).",
    "",
    ...machineLines(run),
    "",
    "| | Cerulean | Python Bluesky 1.14 | figure in RESULTS.md |",
    "|---|---:|---:|---|",
  ];
  for (const h of HEADLINES) {
    const found = h.names.map((n) => byName.get(n)).find((r) => r !== undefined);
    let value = found ? `${formatValue(found.value)} ${found.unit}` : "not measured";
    // A quick run has only the smaller sizes: say which one stands in.
    if (found && found.name !== h.names[0]) value += ` (at ${found.n.toLocaleString("en-US")})`;
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
    ["peak RSS, `cerulean run` scan", "e2e-scan.cli_peak_rss"],
    ["peak RSS, fly scan process", "e2e-fly.peak_rss"],
    ["peak RSS, queue worker", "e2e-queue.worker_peak_rss"],
  ] as const) {
    const line = scaling(results, base);
    if (line) out.push(`- ${label}: ${line}`);
  }
  out.push(
    "",
    "Reproduce (under 15 minutes in full; `-- --quick` for a smoke run under two minutes):",
    "",
    "```sh",
    "npm run bench            # writes bench/RESULTS.md, bench/README-figures.md and this section",
    "npm run bench -- engine  # only the files whose name contains 'engine' (no RESULTS.md)",
    "npm run bench -- --quick --out=/tmp/bench  # CI's smoke run, committed figures untouched",
    "```",
    "",
  );
  return out.join("\n");
}

/** Where `npm run bench` puts the figures in the root README (the lines between stay generated). */
export const README_MARKERS = {
  start: "<!-- bench:figures:start -->",
  end: "<!-- bench:figures:end -->",
} as const;

/** The README with the section between the markers replaced; undefined without both markers. */
export function spliceReadme(readme: string, figures: string): string | undefined {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) return undefined;
  const head = readme.slice(0, start + README_MARKERS.start.length);
  return `${head}\n${figures.trimEnd()}\n${readme.slice(end)}`;
}
