import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Catalog, SqliteStorage } from "@cerulean/broker";
import { composeRun, type NamedDocument, parseDocuments } from "@cerulean/event-model";
import { parseTerms, runRuns } from "../src/commands/runs.ts";
import { CliUsageError } from "../src/errors.ts";

function scanRun(
  scanId: number,
  plan: string,
  options: { incomplete?: boolean; sample?: string; uid?: string } = {},
): NamedDocument[] {
  const run = composeRun({
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    time: 1_700_000_000 + scanId * 100,
    metadata: { scan_id: scanId, plan_name: plan, sample: options.sample ?? "Si" },
  });
  const key = (source: string) => ({ dtype: "number" as const, shape: [], source, precision: 2 });
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: { motor: key("m"), det: key("d") },
    object_keys: { motor: ["motor"], det: ["det"] },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
  ];
  for (let i = 0; i < 3; i++) {
    const t = run.startDoc.time + i + 1;
    docs.push([
      "event",
      primary.composeEvent({
        data: { motor: i, det: 10 * i + 0.25 },
        timestamps: { motor: t, det: t },
        time: t,
      }),
    ]);
  }
  if (!options.incomplete) docs.push(["stop", run.composeStop({ time: run.startDoc.time + 12.5 })]);
  return docs;
}

describe("cerulean runs", () => {
  let dir: string;
  let lines: string[];
  const print = (line: string) => {
    lines.push(...line.split("\n"));
  };
  const runs = async (...args: string[]) => {
    lines = [];
    return runRuns([...args, "--data-dir", dir], { print });
  };
  let count: NamedDocument[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "cerulean-runs-"));
    const catalog = new Catalog(new SqliteStorage({ path: join(dir, "catalog.sqlite") }));
    count = scanRun(1, "count");
    for (const docs of [
      count,
      scanRun(2, "scan", { sample: "LaB6" }),
      scanRun(3, "scan", { incomplete: true }),
    ]) {
      await Promise.all(docs.map(([name, doc]) => catalog.write(name, doc)));
    }
    await catalog.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("list prints recent runs newest first: scan_id, plan, start, duration, exit status, events", async () => {
    assert.equal(await runs("list"), 0);
    assert.match(lines[0]!, /scan_id\s+plan\s+start time\s+duration\s+exit status\s+events\s+uid/);
    const rows = lines.slice(2);
    assert.deepEqual(
      rows.map((r) => r.trim().split(/\s+/)[0]),
      ["3", "2", "1"],
    );
    assert.match(rows[0]!, /scan .* - +incomplete +3 /);
    assert.match(rows[2]!, /count .* 12\.5 s +success +3 /);
    await runs("-n", "1");
    assert.equal(lines.length, 3);
  });

  test("search narrows by key=value, comparisons and words", async () => {
    await runs("search", "plan_name=scan");
    assert.deepEqual(
      lines.slice(2).map((r) => r.trim().split(/\s+/)[0]),
      ["3", "2"],
    );
    await runs("search", "scan_id<3", "lab6");
    assert.deepEqual(
      lines.slice(2).map((r) => r.trim().split(/\s+/)[0]),
      ["2"],
    );
    await runs("search", "plan_name=fly");
    assert.deepEqual(lines, ["no runs"]);
  });

  test("show prints the metadata and the primary stream as a LiveTable", async () => {
    assert.equal(await runs("show", "1"), 0);
    assert.ok(lines.includes("plan:        count"));
    assert.ok(lines.some((l) => /exit status: success/.test(l)));
    assert.ok(lines.some((l) => /streams: +primary \(3 events\)/.test(l)));
    const header = lines.find((l) => /seq_num/.test(l));
    assert.ok(header && /motor/.test(header) && /det/.test(header), header);
    assert.ok(
      lines.some((l) => /\|\s+3 \|.*\|\s+2\.00 \|\s+20\.25 \|/.test(l)),
      lines.join("\n"),
    );
    await runs("show", "-1");
    assert.ok(lines.some((l) => /incomplete/.test(l)));
  });

  test("export writes suitcase files, here JSON lines that read back as the run", async () => {
    const out = join(dir, "export");
    assert.equal(await runs("export", "1", "--format", "jsonl", "--out", out), 0);
    assert.equal(lines.length, 1);
    assert.deepStrictEqual(parseDocuments(readFileSync(lines[0]!, "utf8")), count);
  });

  test("bad input is a usage error naming what was wrong", async () => {
    await assert.rejects(runs("frobnicate"), CliUsageError);
    await assert.rejects(runs("show"), /needs a run/);
    await assert.rejects(runs("export", "1"), /--format/);
    await assert.rejects(runRuns(["list", "--data-dir", join(dir, "nowhere")]), /no catalog at/);
  });

  test("a run given by a uid prefix made of digits is found when no scan_id matches; --data works", async () => {
    const other = join(dir, "digits");
    const catalog = new Catalog(new SqliteStorage({ path: join(other, "catalog.sqlite") }));
    const docs = scanRun(7, "count", { uid: "47882c3e-0d7b-4e8a-9a51-1f2d3c4b5a69" });
    for (const [name, doc] of docs) await catalog.write(name, doc);
    await catalog.close();
    lines = [];
    assert.equal(await runRuns(["show", "47882", "--data", other], { print }), 0);
    assert.ok(
      lines.includes("uid:         47882c3e-0d7b-4e8a-9a51-1f2d3c4b5a69"),
      lines.join("\n"),
    );
    lines = [];
    assert.equal(await runRuns(["show", "7", "--data", other], { print }), 0);
    assert.ok(lines.includes("scan_id:     7"), lines.join("\n"));
    await assert.rejects(
      runRuns(["show", "12345", "--data", other], { print }),
      /no run has scan_id 12345 or a uid starting with 12345/,
    );
    await assert.rejects(
      runRuns(["list", "--data", other, "--data-dir", dir], { print }),
      /--data-dir .* and --data .* name two data directories/,
    );
  });

  test("search terms become catalog queries", () => {
    assert.deepEqual(
      parseTerms(["a>=3", "b!=x", 'tags~="t"', "since=2024-05-01", "uid=abcdef", "hello", "world"]),
      [
        { type: "comparison", operator: "ge", key: "a", value: 3 },
        { type: "noteq", key: "b", value: "x" },
        { type: "contains", key: "tags", value: "t" },
        { type: "time_range", since: "2024-05-01" },
        { type: "partial_uid", partial_uids: ["abcdef"] },
        { type: "fulltext", text: "hello world" },
      ],
    );
  });
});
