// `npm run bench [-- --quick] [filter...]`: runs every bench/*.bench.ts in its own process
// (so peak memory and JIT state do not leak between them); each prints JSON lines, which are
// passed through. An unfiltered run also writes bench/RESULTS.md and bench/README-figures.md.
import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { readmeFigures } from "./figures.ts";
import type { BenchResult } from "./harness.ts";
import { machine, resultsMarkdown } from "./results.ts";

const dir = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const quickMode = args.includes("--quick");
const filters = args.filter((a) => !a.startsWith("--"));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// A hung benchmark (a server that never answers) must not hang CI: each file gets a limit.
const limitSeconds = quickMode ? 90 : 600;

interface FileOutcome {
  file: string;
  seconds: number;
  status: string;
}

function runFile(file: string, into: BenchResult[]): Promise<FileOutcome> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ["--import", "tsx", join(dir, file), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), limitSeconds * 1000);
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    console.log(line);
    try {
      const parsed = JSON.parse(line) as BenchResult;
      if (typeof parsed.name === "string" && typeof parsed.value === "number") into.push(parsed);
    } catch {
      // Not a figure (a bench's own diagnostic): passed through only.
    }
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const status =
        code === 0
          ? "ok"
          : signal === "SIGKILL"
            ? `killed after ${limitSeconds} s`
            : `failed (exit ${String(code ?? signal)})`;
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
  if (outcome.status !== "ok") console.error(`bench ${file} ${outcome.status}`);
}
const totalSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const failed = outcomes.filter((o) => o.status !== "ok").length;
console.error(
  `bench: ${files.length} files, ${failed} failed, ${totalSeconds.toFixed(1)} s (${quickMode ? "quick" : "full"} mode)`,
);

if (filters.length === 0) {
  const run = { date: started, quick: quickMode, totalSeconds, machine: machine(), outcomes };
  writeFileSync(join(dir, "RESULTS.md"), resultsMarkdown(run, results));
  writeFileSync(join(dir, "README-figures.md"), readmeFigures(run, results));
  console.error("bench: wrote bench/RESULTS.md and bench/README-figures.md");
}
process.exit(failed ? 1 : 0);
