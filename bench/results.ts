// bench/RESULTS.md: the machine, the date and every figure of one `npm run bench`, by package.
import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, type } from "node:os";
import type { BenchResult } from "./harness.ts";

/** The machine a run measured. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

/** One `npm run bench`: when, how, where, and how each file ended. */
export interface BenchRun {
  date: Date;
  /** The commit measured (`git describe`-like), or "unknown" outside a Git checkout. */
  source: string;
  quick: boolean;
  totalSeconds: number;
  machine: Machine;
  outcomes: { file: string; seconds: number; status: string }[];
}

/** The commit the tree is at, with "+ local changes" when it differs from it. */
export function sourceVersion(cwd: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const commit = git("rev-parse", "--short", "HEAD").trim();
    const dirty = git("status", "--porcelain", "--untracked-files=no").trim() !== "";
    return dirty ? `${commit} + local changes` : commit;
  } catch {
    return "unknown";
  }
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    os: `${type()} ${release()} (${process.platform}/${process.arch})`,
  };
}

/** A figure as printed in the tables: 4 significant digits, thousands separated. */
export function formatValue(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return String(Number(value.toPrecision(4)));
}

export function machineLines(run: BenchRun): string[] {
  const m = run.machine;
  return [
    `- Date: ${run.date.toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Source: ${run.source}`,
    `- Mode: ${run.quick ? "quick (`npm run bench -- --quick`, small sizes)" : "full (`npm run bench`)"}, ${run.totalSeconds.toFixed(0)} s in total`,
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- Memory: ${m.memoryGiB.toFixed(1)} GiB`,
    `- Node: ${m.node}`,
    `- OS: ${m.os}`,
  ];
}

/** The package a figure belongs to: the first dotted part of its name. */
function groupOf(name: string): string {
  return name.split(".")[0] ?? name;
}

export function resultsMarkdown(run: BenchRun, results: readonly BenchResult[]): string {
  const out = [
    "# Benchmark results",
    "",
    "Written by `npm run bench`; do not edit by hand. Every value is the median of repeated",
    "runs after a warm-up (percentiles where the name says so); `n` is the work per repetition.",
    "`<file>.peak_rss` is the peak resident memory of that benchmark's whole process.",
    "",
    ...machineLines(run),
    "",
  ];
  const groups = new Map<string, BenchResult[]>();
  for (const r of results) {
    const g = groupOf(r.name);
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  for (const [group, rows] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`## ${group}`, "", "| figure | value | unit | n |", "|---|---:|---|---:|");
    for (const r of rows) {
      out.push(
        `| ${r.name} | ${formatValue(r.value)} | ${r.unit} | ${r.n.toLocaleString("en-US")} |`,
      );
    }
    out.push("");
  }
  out.push("## Benchmark files", "", "| file | seconds | status |", "|---|---:|---|");
  for (const o of run.outcomes) out.push(`| ${o.file} | ${o.seconds.toFixed(1)} | ${o.status} |`);
  out.push("");
  return out.join("\n");
}
