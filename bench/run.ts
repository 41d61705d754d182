// `npm run bench [-- --quick] [filter...]`: runs every bench/*.bench.ts in its own process
// (so peak memory and JIT state do not leak between them). Their figures (JSON lines) go to
// stdout, anything else they print to stderr. An unfiltered run also writes bench/RESULTS.md and
// bench/README-figures.md, and a full one without failures copies the latter into README.md
// between its bench:figures markers. Exits non-zero when a file fails, hangs or prints no figure.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { README_MARKERS, readmeFigures, spliceReadme } from "./figures.ts";
import type { BenchResult } from "./harness.ts";
import { machine, resultsMarkdown, sourceVersion } from "./results.ts";

const dir = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const quickMode = args.includes("--quick");
const filters = args.filter((a) => !a.startsWith("--"));
// `--out=DIR` writes RESULTS.md and README-figures.md there instead (CI: outside the tree, so a
// smoke run never replaces the committed figures) and leaves README.md alone.
const outArg = args.find((a) => a.startsWith("--out="));
const outDir = outArg ? resolve(outArg.slice("--out=".length)) : dir;
const unknown = args.filter(
  (a) => a.startsWith("--") && a !== "--quick" && !a.startsWith("--out="),
);
if (unknown.length > 0) {
  console.error(
    `bench: unknown option ${unknown.join(" ")} (expected --quick, --out=DIR, filters)`,
  );
  process.exit(2);
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no bench/*.bench.ts file name contains ${filters.join(" or ")}`);
  process.exit(2);
}
// A hung benchmark (a server that never answers) must not hang CI: each file gets a limit,
// well above what the slowest file takes on a loaded 2-core machine.
const limitSeconds = quickMode ? 60 : 600;

interface FileOutcome {
  file: string;
  seconds: number;
  status: string;
}

let running: ChildProcess | undefined;

/** Kills a bench and whatever it started (servers, workers): its whole process group. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (running) killGroup(running);
    console.error(`bench: interrupted (${signal})`);
    process.exit(130);
  });
}

/** The command names of the processes in a process group (Linux /proc; none elsewhere). */
function groupMembers(pgid: number): string[] {
  const names: string[] = [];
  try {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        // /proc/PID/stat: pid (comm) state ppid pgrp ...; comm may hold spaces, so split after ")".
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[2]) === pgid)
          names.push(stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    // No /proc.
  }
  return names;
}

function isFigure(value: unknown): value is BenchResult {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r["name"] === "string" &&
    typeof r["value"] === "number" &&
    typeof r["unit"] === "string" &&
    typeof r["n"] === "number"
  );
}

function runFile(file: string, into: BenchResult[]): Promise<FileOutcome> {
  const t0 = process.hrtime.bigint();
  // Detached: its own process group, so a timeout also ends the servers it started.
  const child = spawn(process.execPath, ["--import", "tsx", join(dir, file), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  running = child;
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    killGroup(child);
  }, limitSeconds * 1000);
  let figures = 0;
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (isFigure(parsed)) {
      console.log(line);
      into.push(parsed);
      figures++;
    } else {
      // A bench's own diagnostic: kept off stdout, which holds only figures.
      console.error(`${file}: ${line}`);
    }
  });
  // Whatever the bench left running (a server it did not stop) would hold its output open and
  // skew the next file: end it, and say so.
  child.on("exit", () => {
    if (child.pid === undefined) return;
    const left = groupMembers(child.pid).filter((c) => c !== "esbuild"); // tsx's, on its way out
    if (left.length > 0) console.error(`bench: ${file} left ${left.join(", ")} running; ended`);
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // None left: the usual case.
    }
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let status = "ok";
      if (killed) status = `killed after ${limitSeconds} s (hung or too slow)`;
      else if (code !== 0) status = `failed (${code === null ? String(signal) : `exit ${code}`})`;
      else if (figures === 0) status = "failed (no figure printed)";
      resolve({ file, seconds, status });
    });
  });
}

const started = new Date();
const t0 = process.hrtime.bigint();
const results: BenchResult[] = [];
const outcomes: FileOutcome[] = [];
for (const file of files) {
  const outcome = await runFile(file, results);
  outcomes.push(outcome);
  const note = outcome.status === "ok" ? "" : ` ${outcome.status}`;
  console.error(`bench: ${file} ${outcome.seconds.toFixed(1)} s${note}`);
}
const totalSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const failed = outcomes.filter((o) => o.status !== "ok");
console.error(
  `bench: ${files.length} files, ${failed.length} failed, ${totalSeconds.toFixed(1)} s (${quickMode ? "quick" : "full"} mode)`,
);
for (const o of failed) console.error(`bench: FAILED ${o.file}: ${o.status}`);
const budget = quickMode ? 120 : 900;
if (totalSeconds > budget) {
  console.error(`bench: over the ${budget} s budget of a ${quickMode ? "quick" : "full"} run`);
}

if (filters.length === 0) {
  const source = sourceVersion(dir);
  const run = {
    date: started,
    source,
    quick: quickMode,
    totalSeconds,
    machine: machine(),
    outcomes,
  };
  const figures = readmeFigures(run, results);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "RESULTS.md"), resultsMarkdown(run, results));
  writeFileSync(join(outDir, "README-figures.md"), figures);
  console.error(`bench: wrote RESULTS.md and README-figures.md in ${outDir}`);
  // The README shows a complete full run only, so that its figures and RESULTS.md agree.
  const readmePath = join(dir, "..", "README.md");
  const readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : "";
  const updated = spliceReadme(readme, figures);
  if (outArg) {
    console.error("bench: README.md left as it was (--out given)");
  } else if (quickMode || failed.length > 0) {
    console.error("bench: README.md left as it was (only a full run without failures updates it)");
  } else if (updated === undefined) {
    console.error(`bench: README.md has no ${README_MARKERS.start} ... end section to update`);
  } else if (updated !== readme) {
    writeFileSync(readmePath, updated);
    console.error("bench: updated the figures section of README.md");
  }
} else {
  console.error("bench: filtered run, RESULTS.md left as it was");
}
process.exit(failed.length > 0 ? 1 : 0);
