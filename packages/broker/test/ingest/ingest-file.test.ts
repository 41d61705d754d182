import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { parseDocuments } from "@cerulean/event-model";
import { encode } from "@msgpack/msgpack";
import { Catalog, eq, fullText, IngestError, SqliteStorage } from "../../src/index.ts";
import { ingestFile } from "../../src/ingest/ingest-file.ts";
import { makeRun } from "../fixtures/runs.ts";

const FIXTURE = new URL("../fixtures/python-bluesky.jsonl", import.meta.url).pathname;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("ingesting stored document streams", () => {
  let dir: string;
  let catalog: Catalog;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cerulean-ingest-"));
    catalog = new Catalog(new SqliteStorage({ path: join(dir, "catalog.sqlite") }));
  });
  after(async () => {
    await catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a JSON-lines file written by Python Bluesky loads and reads back exactly", async () => {
    const summary = await ingestFile(catalog, FIXTURE);
    assert.deepEqual(
      { documents: summary.documents, runs: summary.runs },
      { documents: 12, runs: 2 },
    );
    const expected = parseDocuments(readFileSync(FIXTURE, "utf8"));
    const replayed: NamedDocument[] = [];
    for (const run of await catalog.search()) replayed.push(...(await collect(run.documents())));
    assert.deepStrictEqual(replayed, expected);

    const count = await catalog.get(41);
    const det = (await (await count.stream()).read()).data["det"];
    assert.ok(det instanceof Float64Array);
    assert.deepEqual([...det], [1, Number.NaN, 1e-5]);
    const scan = await (await catalog.get(42)).stream();
    assert.deepEqual(
      [...((await scan.read({ fields: ["motor"] })).data["motor"] as Float64Array)],
      [-1, 0, 1],
    );
    assert.deepEqual(
      (await catalog.search(eq("sample.name", "LaB6"))).map((r) => r.start.scan_id),
      [41],
    );
    assert.deepEqual(
      (await catalog.search(fullText("lab6"))).map((r) => r.start.scan_id),
      [41, 42],
    );
  });

  test("ingesting the same file again adds nothing", async () => {
    const before = await catalog.count();
    await ingestFile(catalog, FIXTURE);
    assert.equal(await catalog.count(), before);
    assert.equal((await (await (await catalog.get(41)).stream()).read()).length, 3);
  });

  test("a msgpack file, with msgpack-numpy arrays as Python writes them, loads", async () => {
    const docs = makeRun({ events: 2, image: true, metadata: { scan_id: 77 } });
    const pixels = new Float64Array([1, 2, 3, 4]);
    const numpy = {
      nd: true,
      type: "<f8",
      kind: "",
      shape: [2, 2],
      data: new Uint8Array(pixels.buffer),
    };
    const bytes = docs.map(([name, doc]) => {
      if (name !== "event") return encode([name, doc]);
      const event = structuredClone(doc) as { data: Record<string, unknown> };
      event.data["img"] = numpy;
      return encode([name, event]);
    });
    const path = join(dir, "run.msgpack");
    writeFileSync(path, Buffer.concat(bytes));
    await ingestFile(catalog, path);
    const table = await (await (await catalog.get(77)).stream()).read();
    assert.deepEqual(table.data["img"], [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ]);
  });

  test("documents that cannot be stored are reported; the others are stored", async () => {
    const good = makeRun({ events: 1, metadata: { scan_id: 78 } });
    const orphan = makeRun({ events: 1 }).slice(1, 3);
    const path = join(dir, "mixed.jsonl");
    writeFileSync(path, [...orphan, ...good].map((d) => JSON.stringify(d)).join("\n"));
    await assert.rejects(ingestFile(catalog, path), (err: Error) => {
      assert.ok(err instanceof IngestError);
      assert.match(err.message, /2 of 6 documents .* were not stored \(document 0: descriptor/);
      return true;
    });
    assert.equal((await catalog.get(78)).complete, true);
  });

  test("a file that is not a document stream is refused, naming the line", async () => {
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, '["start", {"uid": "x", "time": 1}]\nnot json\n');
    await assert.rejects(ingestFile(catalog, path), /line 2/);
  });
});
