import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, test } from "node:test";
import { until } from "@cerulean/event-model/testing";
import { Catalog, eq, SqliteStorage } from "../../../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-concurrency-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const script = new URL("./writer-process.ts", import.meta.url).pathname;

interface Writer {
  child: ChildProcess;
  acks: string[];
  done: Promise<number>;
  /** Why the writer is gone, once it has exited. */
  exited(): string | undefined;
}

function startWriter(path: string, args: (string | number)[]): Writer {
  const child = spawn(process.execPath, ["--import", "tsx", script, path, ...args.map(String)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const acks: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on("line", (line) => acks.push(line));
  const done = new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal === null) console.error(stderr);
      resolve(code ?? -1);
    });
  });
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? `the writer exited (code ${child.exitCode}, signal ${child.signalCode}) ${stderr.slice(-500)}`
      : undefined;
  return { child, acks, done, exited };
}

test("several writer processes and a reader share one SQLite catalog without 'database is locked'", async () => {
  const path = join(dir, "shared.sqlite");
  const writers = [0, 1, 2].map((w) => startWriter(path, [w, 5, 100, "batch", "hold"]));
  const reader = new Catalog(new SqliteStorage({ path }));
  let reads = 0;
  // Each writer holds after its first run, so that one read at least surely happens while they
  // are all mid-way (however fast they write); then they go on while the reader keeps reading.
  for (const [w, writer] of writers.entries()) {
    await until(`writer ${w}'s first run`, () => writer.acks.length > 0, {
      failed: writer.exited,
    });
  }
  for (const run of await reader.last(3)) {
    assert.equal((await (await run.stream()).read()).length, 100);
    reads++;
  }
  for (const writer of writers) writer.child.stdin?.end("go\n");
  let running = true;
  const exited = Promise.all(writers.map((w) => w.done)).finally(() => {
    running = false;
  });
  while (running) {
    for (const run of await reader.last(3)) {
      const table = await (await run.stream()).read();
      assert.ok(table.length <= 100);
      reads++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.deepEqual(await exited, [0, 0, 0], "every writer exits cleanly (no 'database is locked')");
  assert.ok(reads > 0, "the reader read while the writers wrote");
  for (let w = 0; w < 3; w++) assert.equal(await reader.count(eq("writer", w)), 5);
  for (const run of await reader.search()) {
    assert.equal((await (await run.stream()).read()).length, 100);
    assert.equal(run.complete, true);
  }
  await reader.close();
});

test("a writer killed mid-run leaves every acknowledged document readable", async () => {
  const path = join(dir, "killed.sqlite");
  const writer = startWriter(path, [7, 1, 100_000, "each"]);
  try {
    await until("30 acknowledged documents", () => writer.acks.length >= 30, {
      failed: writer.exited,
    });
  } finally {
    writer.child.kill("SIGKILL");
  }
  await writer.done;
  const acked = writer.acks.map((line) => line.split(" "));
  const uid = acked[0]![1]!;
  const lastDoc = Math.max(...acked.map((a) => Number(a[2])));
  const catalog = new Catalog(new SqliteStorage({ path }));
  const run = await catalog.get(uid);
  assert.equal(run.complete, false, "no stop document: shown as incomplete");
  const table = await (await run.stream()).read();
  // Documents 0 and 1 are the start and the descriptor; document n >= 2 is the event with x = n - 2.
  assert.ok(
    table.length >= lastDoc - 1,
    `${table.length} events readable, ${lastDoc - 1} acknowledged`,
  );
  assert.deepEqual(
    [...(table.data["x"] as Float64Array)].slice(0, lastDoc - 1),
    Array.from({ length: lastDoc - 1 }, (_, i) => i),
  );
  assert.equal((await catalog.search()).length, 1);
  await catalog.close();
});
