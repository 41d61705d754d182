// The shared benchmark harness: warm up, repeat, report the median as one JSON line.
import { basename } from "node:path";

/** One benchmark figure, as printed by `npm run bench`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The work per repetition (events, points, calls...). */
  n: number;
}

export interface MeasureOptions {
  /** Repetitions whose median is reported (default 5). */
  repeats?: number;
  /** Untimed repetitions first (default 1). */
  warmup?: number;
}

/** `--quick` on the command line shrinks the work of every benchmark. */
export const quick = process.argv.includes("--quick");

const results: BenchResult[] = [];

/** The benchmark file's short name: `bench/engine.bench.ts` -> `engine`. */
export const benchName = basename(process.argv[1] ?? "bench").replace(/\.bench\.[cm]?[jt]s$/, "");

// Every bench process reports its own peak resident memory as its last figure (stdout is a pipe
// under bench/run.ts, which is synchronous on Linux, so the line is written before exit).
process.on("exit", (code) => {
  if (code !== 0) return;
  report({
    name: `${benchName}.peak_rss`,
    unit: "MiB",
    n: 1,
    value: process.resourceUsage().maxRSS / 1024,
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Times `run` (which does `n` units of work) and reports the median rate in units per second.
 * @example await rate("event-model.compose_validate", "events/s", 10_000, () => composeMany(10_000))
 */
export async function rate(
  name: string,
  unit: string,
  n: number,
  run: () => unknown,
  options: MeasureOptions = {},
): Promise<BenchResult> {
  const seconds = await timings(run, options);
  return report({ name, unit, n, value: n / median(seconds) });
}

/** One contender of `rates`: a figure name and the work it times. */
export interface Contender {
  name: string;
  run: () => unknown;
}

/**
 * Times several ways of doing the same `n` units of work, warm-ups first and then repetitions
 * taken in turn (A B A B...), so that a ratio between them is not skewed by the JIT warming up
 * or the machine's load changing in between; reports each median rate.
 */
export async function rates(
  unit: string,
  n: number,
  contenders: readonly Contender[],
  options: MeasureOptions = {},
): Promise<BenchResult[]> {
  const { repeats = 5, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) for (const c of contenders) await c.run();
  const seconds = contenders.map((): number[] => []);
  for (let i = 0; i < repeats; i++) {
    for (const [k, c] of contenders.entries()) {
      const t0 = process.hrtime.bigint();
      await c.run();
      seconds[k]?.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  return contenders.map((c, k) =>
    report({ name: c.name, unit, n, value: n / median(seconds[k] ?? []) }),
  );
}

/** Times `run` (doing `n` calls) and reports the median cost in microseconds per call. */
export async function cost(
  name: string,
  n: number,
  run: () => unknown,
  options: MeasureOptions = {},
): Promise<BenchResult> {
  const seconds = await timings(run, options);
  return report({ name, unit: "us/call", n, value: (median(seconds) / n) * 1e6 });
}

async function timings(run: () => unknown, options: MeasureOptions): Promise<number[]> {
  const { repeats = 5, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) await run();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return seconds;
}

/** Prints a result as one JSON line and keeps it for the summary. */
export function report(result: BenchResult): BenchResult {
  const rounded = { ...result, value: Number(result.value.toPrecision(4)) };
  results.push(rounded);
  console.log(JSON.stringify(rounded));
  return rounded;
}

/** Everything reported so far in this process. */
export function reported(): readonly BenchResult[] {
  return results;
}
