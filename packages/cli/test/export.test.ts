import assert from "node:assert/strict";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import {
  composeRun,
  type DocumentName,
  readDocuments,
  serializeDocuments,
} from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { runExport } from "../src/commands/export.ts";
import { main } from "../src/main.ts";

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "cerulean-export-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(scanId: number, events = 3): [DocumentName, unknown][] {
  const bundle = composeRun({ metadata: { scan_id: scanId, plan_name: "count" } });
  const d = bundle.composeDescriptor({
    name: "primary",
    data_keys: {
      det: { dtype: "number", shape: [], source: "sim:det" },
      cam: { dtype: "array", shape: [2, 3], source: "sim:cam", dtype_numpy: "<u2" },
    },
    hints: { det: { fields: ["det"] } },
  });
  const docs: [DocumentName, unknown][] = [
    ["start", bundle.startDoc],
    ["descriptor", d.descriptorDoc],
  ];
  for (let i = 1; i <= events; i++) {
    const cam = [
      [i, i, i],
      [i, i, i],
    ];
    docs.push([
      "event",
      d.composeEvent({ data: { det: i * 1.5, cam }, timestamps: { det: i, cam: i } }),
    ]);
  }
  docs.push(["stop", bundle.composeStop()]);
  return docs;
}

async function exportFile(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runExport(args, { print: (l) => out.push(l), printError: (l) => err.push(l) });
  return { code, out, err };
}

describe("cerulean export", () => {
  const expected: Record<string, string[]> = {
    jsonl: ["7.jsonl"],
    msgpack: ["7.msgpack"],
    csv: ["7-primary.csv"],
    tiff: ["7-primary-cam.tiff"],
    hdf5: ["7.h5"],
  };
  for (const [format, names] of Object.entries(expected)) {
    it(`writes a JSON-lines run as ${format}`, async (t) => {
      const dir = tempDir(t);
      const docs = run(7);
      assertValidStream(docs);
      const file = join(dir, "run.jsonl");
      writeFileSync(file, serializeDocuments(docs));
      const out = join(dir, "out");
      const result = await exportFile([
        file,
        "--format",
        format,
        "--out",
        out,
        "--template",
        "{scan_id}",
      ]);
      assert.deepEqual(result, { code: 0, out: names.map((n) => join(out, n)), err: [] });
      for (const path of result.out) assert.ok(statSync(path).size > 0);
      if (format === "jsonl") {
        const back: unknown[] = [];
        for await (const pair of readDocuments(result.out[0] as string)) back.push(pair);
        assert.deepEqual(back, docs);
      }
    });
  }

  it("says so and exits 1 when the format finds nothing to write (tiff of a run without images)", async (t) => {
    const dir = tempDir(t);
    const bundle = composeRun({ metadata: { scan_id: 8, plan_name: "count" } });
    const d = bundle.composeDescriptor({
      name: "primary",
      data_keys: { det: { dtype: "number", shape: [], source: "sim:det" } },
    });
    const docs: [DocumentName, unknown][] = [
      ["start", bundle.startDoc],
      ["descriptor", d.descriptorDoc],
      ["event", d.composeEvent({ data: { det: 1 }, timestamps: { det: 1 } })],
      ["stop", bundle.composeStop()],
    ];
    const file = join(dir, "run.jsonl");
    writeFileSync(file, serializeDocuments(docs));
    const result = await exportFile([file, "--format", "tiff", "--out", join(dir, "out")]);
    assert.equal(result.code, 1);
    assert.deepEqual(result.out, []);
    assert.deepEqual(result.err, [
      `cerulean export: run ${bundle.startDoc.uid} gave no tiff file: the run holds no data this format writes (e.g. no images for tiff)`,
    ]);
  });

  it("writes each run of a file with several runs, through the command table", async (t) => {
    const dir = tempDir(t);
    const file = join(dir, "runs.jsonl");
    writeFileSync(file, serializeDocuments([...run(1), ...run(2)]));
    const log = t.mock.method(console, "log", () => {});
    assert.equal(
      await main(["export", file, "--format", "csv", "--out", dir, "--template", "scan{scan_id}"]),
      0,
    );
    assert.deepEqual(
      log.mock.calls.map((c) => basename(String(c.arguments[0]))),
      ["scan1-primary.csv", "scan2-primary.csv"],
    );
  });

  it("reads msgpack document files too", async (t) => {
    const dir = tempDir(t);
    const jsonl = join(dir, "run.jsonl");
    writeFileSync(jsonl, serializeDocuments(run(3)));
    const first = await exportFile([jsonl, "--format", "msgpack", "--out", dir, "--template", "m"]);
    const second = await exportFile([
      first.out[0] as string,
      "--format",
      "jsonl",
      "--out",
      dir,
      "--template",
      "back",
    ]);
    assert.equal(second.code, 0);
    assert.ok(existsSync(join(dir, "back.jsonl")));
  });

  it("rejects an unknown format or missing options with a usage error", async (t) => {
    const dir = tempDir(t);
    const error = t.mock.method(console, "error", () => {});
    assert.equal(await main(["export", join(dir, "x.jsonl"), "--format", "xlsx", "--out", dir]), 2);
    assert.match(
      String(error.mock.calls[0]?.arguments[0]),
      /unknown format "xlsx"; expected one of jsonl, msgpack, csv, tiff, hdf5/,
    );
    await assert.rejects(runExport([join(dir, "x.jsonl"), "--out", dir]), /needs --format/);
    await assert.rejects(runExport([join(dir, "x.jsonl"), "--format", "csv"]), /needs --out/);
    await assert.rejects(runExport(["--format", "csv", "--out", dir]), /needs a run file/);
  });

  it("reports a missing file and a bad line clearly, keeping what was written", async (t) => {
    const dir = tempDir(t);
    const missing = await exportFile([join(dir, "nope.jsonl"), "--format", "csv", "--out", dir]);
    assert.equal(missing.code, 1);
    assert.match(missing.err[0] ?? "", /cannot read .*nope\.jsonl: no such file/);
    const file = join(dir, "broken.jsonl");
    writeFileSync(file, serializeDocuments(run(5).slice(0, 4)));
    appendFileSync(file, '["event", {"uid": \n');
    const broken = await exportFile([
      file,
      "--format",
      "hdf5",
      "--out",
      join(dir, "out"),
      "--template",
      "b",
    ]);
    assert.equal(broken.code, 1);
    assert.match(broken.err[0] ?? "", /broken\.jsonl: line 5: /);
    assert.deepEqual(readdirSync(join(dir, "out")), ["b.h5"]);
  });

  it("prints its help", async () => {
    const out: string[] = [];
    assert.equal(await runExport(["--help"], { print: (l) => out.push(l) }), 0);
    assert.match(out.join("\n"), /Usage: cerulean export <run-file> --format <format> --out <dir>/);
  });
});
