// Runs a command in a child process and measures it from outside: wall time and peak RSS
// (spawn gives no rusage, so bench/rss-probe.mjs, preloaded, reports the child's own maxRSS).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What one child run took. */
export interface ChildRun {
  seconds: number;
  /** Peak resident memory of the child, MiB (NaN when it could not be read). */
  peakRssMiB: number;
  stdout: string;
  stderr: string;
}

const probe = new URL("./rss-probe.mjs", import.meta.url).href;

/** Runs `node <args>`; rejects with the child's output when it exits non-zero. */
export async function timeNode(args: string[], cwd: string): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "cerulean-bench-rss-"));
  const rssFile = join(dir, "rss");
  const env = {
    ...process.env,
    NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --import=${probe}`.trim(),
    CERULEAN_BENCH_RSS_FILE: rssFile,
  };
  try {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (code !== 0) {
      throw new Error(`node ${args.join(" ")} exited with ${String(code)}:\n${stdout}\n${stderr}`);
    }
    let peakRssMiB = Number.NaN;
    try {
      peakRssMiB = Number(readFileSync(rssFile, "utf8")) / 1024;
    } catch {
      // The probe did not run (an old Node without --import): leave NaN, the caller skips it.
    }
    return { seconds, peakRssMiB, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
