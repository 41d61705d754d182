// The real command in a child process: SIGTERM and SIGHUP during a run end it cleanly (the run
// is stored with a stop document), and output piped into a closed reader ends quietly.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { openCatalog } from "@cerulean/broker";
import { parseDocuments } from "@cerulean/event-model";

const bin = fileURLToPath(new URL("../bin/cerulean.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cerulean-cli-signals-"));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the command; `output()` is stdout and stderr so far, `exited` its exit code. */
function cerulean(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  children.push(child);
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const waitFor = async (pattern: RegExp) => {
    // The first start compiles the whole stack (tsx): slow on a cold, loaded machine.
    const end = Date.now() + 90_000;
    while (!pattern.test(text)) {
      if (Date.now() > end || child.exitCode !== null) {
        throw new Error(`no ${pattern} in the output:\n${text}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, output: () => text, exited, waitFor };
}

/** The runs of a data directory's catalog: [exit_status, reason]. */
async function storedRuns(data: string): Promise<[unknown, unknown][]> {
  const catalog = await openCatalog(join(data, "catalog.sqlite"));
  try {
    return (await catalog.search()).map((r) => [r.stop?.exit_status, r.stop?.reason]);
  } finally {
    await catalog.close();
  }
}

for (const [signal, code] of [
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const) {
  test(`${signal} during cerulean run aborts the plan, stores the run and exits ${code}`, async () => {
    const data = join(dir, `run-${signal}`);
    const jsonl = join(dir, `run-${signal}.jsonl`);
    const run = cerulean(["run", "count([det], 500, 0.02)", "--data-dir", data, "--jsonl", jsonl]);
    await run.waitFor(/\|\s+2 \|/);
    run.child.kill(signal);
    assert.equal(await run.exited, code, run.output());
    assert.match(run.output(), new RegExp(`abort \\(terminated by ${signal}\\)`));
    const stop = parseDocuments(readFileSync(jsonl, "utf8")).at(-1);
    assert.equal(stop?.[0], "stop");
    assert.deepEqual(await storedRuns(data), [["abort", `terminated by ${signal}`]]);
  });
}

test("SIGTERM during a plan in cerulean repl aborts it, closes the session and exits 143", async () => {
  const data = join(dir, "repl");
  const repl = cerulean(["repl", "--data", data]);
  await repl.waitFor(/cerulean> /);
  repl.child.stdin?.write("await RE(count([det], 500, 0.02))\n");
  await repl.waitFor(/\|\s+2 \|/);
  repl.child.kill("SIGTERM");
  assert.equal(await repl.exited, 143, repl.output());
  assert.deepEqual(await storedRuns(data), [["abort", "terminated by SIGTERM"]]);
});

test("output piped into a reader that closed early ends quietly (EPIPE), with exit code 0", async () => {
  const run = cerulean(["runs", "--help"]);
  // The reader is gone before the command writes its first line.
  run.child.stdout?.destroy();
  assert.equal(await run.exited, 0, run.output());
  assert.doesNotMatch(run.output(), /EPIPE|Error/);
});
