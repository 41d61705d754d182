import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { decode } from "tiff";
import { parseCsv } from "../src/csv/csv-cells.ts";
import { readJsonl } from "../src/jsonl/read-jsonl.ts";
import { readMsgpack } from "../src/msgpack/read-msgpack.ts";
import { tempDir } from "./fixtures.ts";
import { h5dump } from "./tools.ts";

async function count(docs: AsyncIterable<readonly [string, unknown]>): Promise<number> {
  let n = 0;
  for await (const [name] of docs) if (name === "event") n++;
  return n;
}

/** Checks that every writer's file holds the 4 primary events (and 1 baseline) of exit-child. */
async function assertComplete(dir: string): Promise<void> {
  const file = (suffix: string) =>
    join(dir, readdirSync(dir).find((f) => f.endsWith(suffix)) as string);
  assert.equal(await count(readJsonl(file(".jsonl"))), 5, "4 primary events and 1 baseline event");
  assert.equal(await count(readMsgpack(file(".msgpack"))), 5);
  assert.equal(parseCsv(readFileSync(file("-primary.csv"), "utf8")).length, 5, "header and 4 rows");
  assert.equal(decode(readFileSync(file("-primary-cam.tiff"))).length, 4);
  assert.match(
    h5dump("-d", "/entry/bluesky/streams/primary/seq_num", file(".h5")),
    /\(0\): 1, 2, 3, 4\s/,
  );
}

/** Starts exit-child in `mode`, waits for its "ready", sends `signal`; resolves to how it ended. */
async function killMidRun(
  dir: string,
  mode: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, mode], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const ended = once(child, "close");
  // A hung child must not outlive the test.
  const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
  child.stdout.on("data", (chunk: Buffer) => {
    const before = stdout;
    stdout += chunk;
    if (!before.includes("ready") && stdout.includes("ready")) child.kill(signal);
  });
  const [code, killedBy] = (await ended) as [number | null, NodeJS.Signals | null];
  clearTimeout(deadline);
  return { code, signal: killedBy, stdout, stderr };
}

const CHILD = join(import.meta.dirname, "exit-child.ts");

describe("a process that dies mid-run", () => {
  it("still leaves complete files with everything it was given, even from buffered writers", async (t) => {
    const dir = tempDir(t);
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", CHILD, dir],
      // spawnSync blocks the event loop, so the test runner's own timeout could not end a hung
      // child: it gets a deadline of its own.
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(child.signal, null, `the child was killed (${child.signal}): it hung`);
    assert.notEqual(child.status, 0);
    assert.match(child.stderr, /the plan crashed/);
    await assertComplete(dir);
  });

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`closes the files on ${signal}, then dies of ${signal} as it would have`, async (t) => {
      const dir = tempDir(t);
      const child = await killMidRun(dir, "wait", signal);
      assert.equal(child.signal, signal, `exit code ${child.code}, stderr:\n${child.stderr}`);
      await assertComplete(dir);
    });
  }

  it("leaves a SIGINT the application handles to the application", async (t) => {
    const dir = tempDir(t);
    const child = await killMidRun(dir, "handle-sigint", "SIGINT");
    assert.match(child.stdout, /closed after SIGINT: false/);
    assert.equal(child.code, 3, child.stderr);
    // Its process.exit() still closes the files.
    await assertComplete(dir);
  });
});
