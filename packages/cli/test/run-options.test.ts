// The `cerulean run` options not covered by run.test.ts: --catalog, --seed, --velocity, and the
// refusals of bad values.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openCatalog } from "@cerulean/broker";
import { type EventDescriptor, parseDocuments } from "@cerulean/event-model";
import { runRun } from "../src/commands/run.ts";
import { CliUsageError } from "../src/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-cli-run-options-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { print: () => {} };

/** The documents of a JSON lines file by name. */
function read(path: string): { name: string; doc: Record<string, unknown> }[] {
  return parseDocuments(readFileSync(path, "utf8")).map(([name, doc]) => ({
    name,
    doc: doc as unknown as Record<string, unknown>,
  }));
}

test("--catalog stores the run in another catalog than the data directory's", async () => {
  const catalogPath = join(dir, "elsewhere.sqlite");
  const data = join(dir, "catalog-data");
  assert.equal(
    await runRun(["count([det], 2)", "--data", data, "--catalog", catalogPath], quiet),
    0,
  );
  const catalog = await openCatalog(catalogPath);
  try {
    const runs = await catalog.search();
    assert.deepEqual(
      runs.map((r) => [r.start["plan_name"], r.stop?.exit_status]),
      [["count", "success"]],
    );
  } finally {
    await catalog.close();
  }
});

test("--seed makes the simulated noise repeat; another seed changes it", async () => {
  const values = async (seed: string, name: string) => {
    const jsonl = join(dir, `${name}.jsonl`);
    const args = ["count([noisy_det], 3)", "--quiet", "--seed", seed, "--jsonl", jsonl];
    assert.equal(await runRun([...args, "--data", join(dir, name)], quiet), 0);
    return read(jsonl)
      .filter((d) => d.name === "event")
      .map((d) => (d.doc["data"] as Record<string, number>)["noisy_det"]);
  };
  const first = await values("7", "seed-a");
  assert.deepEqual(await values("7", "seed-b"), first);
  assert.notDeepEqual(await values("8", "seed-c"), first);
});

test("--velocity sets the sim motors' speed (recorded in the descriptor's configuration)", async () => {
  const jsonl = join(dir, "velocity.jsonl");
  const args = ["scan([det], motor, 0, 0.1, 2)", "--quiet", "--velocity", "50", "--jsonl", jsonl];
  assert.equal(await runRun([...args, "--data", join(dir, "velocity")], quiet), 0);
  const descriptor = read(jsonl).find((d) => d.name === "descriptor")?.doc as
    | EventDescriptor
    | undefined;
  assert.equal(descriptor?.configuration?.["motor"]?.data?.["motor_velocity"], 50);
});

test("bad option values are usage errors naming the option", async () => {
  const data = join(dir, "bad");
  for (const [option, value, message] of [
    ["--velocity", "fast", /--velocity "fast" is not a number/],
    ["--seed", "x", /--seed "x" is not a number/],
    ["--md", "{", /--md is not JSON/],
  ] as const) {
    await assert.rejects(runRun(["count([det])", option, value, "--data", data]), (err: Error) => {
      assert.ok(err instanceof CliUsageError);
      assert.match(err.message, message);
      return true;
    });
  }
  await assert.rejects(runRun(["count([det])", "--frobnicate"]), CliUsageError);
});

test("a negative number after --seed is its value, not an option", async () => {
  const values = async (name: string) => {
    const jsonl = join(dir, `${name}.jsonl`);
    const args = ["count([noisy_det], 2)", "--quiet", "--seed", "-5", "--jsonl", jsonl];
    assert.equal(await runRun([...args, "--data", join(dir, name)], quiet), 0);
    return read(jsonl)
      .filter((d) => d.name === "event")
      .map((d) => (d.doc["data"] as Record<string, number>)["noisy_det"]);
  };
  assert.deepEqual(await values("negative-seed-a"), await values("negative-seed-b"));
});
