// The session's persistent RE.md: a scan_id survives a killed process, and the profile's metadata
// applies afresh at every session without leaking into other profiles on the same data directory.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { openSession } from "../../src/session/open-session.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-cli-session-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const print = () => {};
const bin = new URL("../../bin/cerulean.js", import.meta.url).pathname;

/** Runs `plan` in a new session and returns its start document. */
async function runOnce(
  data: string,
  plan: string,
  options: { profile?: string; sample?: string } = {},
): Promise<Record<string, unknown>> {
  const session = await openSession({ data, print, ...options });
  try {
    if (options.sample !== undefined) session.RE.md["sample"] = options.sample;
    let start: Record<string, unknown> | undefined;
    session.RE.subscribe((name, doc) => {
      if (name === "start") start = doc as unknown as Record<string, unknown>;
    });
    const { det } = session.scope as { det: unknown };
    const make = session.scope[plan] as (detectors: unknown[], num: number) => unknown;
    await session.RE.call(make([det], 1) as Parameters<typeof session.RE.call>[0]);
    assert.ok(start, "the plan emitted a start document");
    return start;
  } finally {
    await session.close();
  }
}

/** Starts `cerulean run` and kills it with SIGKILL once its table shows the run has started. */
function killMidRun(data: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [bin, "run", "count([det], 500, {delay: 0.05})", "--data", data],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("seq_num")) child.kill("SIGKILL");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`cerulean run ended (${code}) before the run started: ${output}`));
    });
  });
}

test("a session killed mid-run (SIGKILL) does not give its scan_id to the next session", async () => {
  const data = join(dir, "killed");
  await killMidRun(data);
  const start = await runOnce(data, "count");
  assert.equal(start["scan_id"], 2);
});

test("the profile's metadata applies at every session and stays out of other profiles", async () => {
  const data = join(dir, "profiles");
  const config = (name: string, proposal: string) => {
    const path = join(dir, `${name}.config.ts`);
    writeFileSync(
      path,
      `export const config = {
  name: "bl",
  sim: true,
  metadata: { beamline_id: "bl-7", proposal: ${JSON.stringify(proposal)} },
};
`,
    );
    return pathToFileURL(path).pathname;
  };
  const first = await runOnce(data, "count", { profile: config("p2", "P2"), sample: "Si" });
  assert.deepEqual(
    [first["scan_id"], first["proposal"], first["beamline_id"], first["sample"]],
    [1, "P2", "bl-7", "Si"],
  );
  // The scientist edits the profile: the new proposal is what the next run records.
  const edited = await runOnce(data, "count", { profile: config("p3", "P3") });
  assert.deepEqual(
    [edited["scan_id"], edited["proposal"], edited["beamline_id"], edited["sample"]],
    [2, "P3", "bl-7", "Si"],
  );
  // The sim profile on the same data directory: the scan_id and the user's sample, nothing else.
  const sim = await runOnce(data, "count");
  assert.deepEqual(
    [sim["scan_id"], sim["proposal"], sim["beamline_id"], sim["sample"]],
    [3, undefined, undefined, "Si"],
  );
});
