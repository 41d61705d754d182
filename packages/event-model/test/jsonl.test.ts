import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { describe, test } from "node:test";
import type { NamedDocument } from "../src/documents.ts";
import { EventModelValueError } from "../src/errors.ts";
import {
  encodeDocumentLine,
  JsonlWriter,
  parseDocumentLine,
  parseDocuments,
  readDocuments,
  serializeDocuments,
} from "../src/jsonl.ts";
import { packEventPage } from "../src/pages.ts";
import { assertValidStream } from "../src/testing/reference-schemas.ts";
import { IMAGE, sampleRun } from "./helpers/sample-run.ts";

function keyOrder(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keyOrder(v).map((x) => `${k}/${x}`)]);
}

/** A run whose data holds nested arrays, NaN and ±Infinity. */
function awkwardRun(): NamedDocument[] {
  const run = sampleRun();
  const page = packEventPage(run.primaryEvents);
  page.data["image"] = [
    IMAGE,
    [
      [Number.NaN, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, -1.5e-300],
    ],
  ];
  page.filled = { image: run.datums.map((d) => d.datum_id) };
  page.data["image_sum"] = [Number.NaN, 2 ** 53 - 1];
  return [...run.docs.slice(0, -1), ["event_page", page], run.docs.at(-1)!];
}

describe("JSON lines text", () => {
  test("a run round-trips exactly: numbers, nested arrays, NaN/Infinity, key order", () => {
    const docs = awkwardRun();
    const text = serializeDocuments(docs);
    assert.equal(text.split("\n").length, docs.length + 1);
    assert.ok(text.endsWith("\n"));
    assert.match(text, /\[NaN,Infinity\],\[-Infinity,-1\.5e-300\]/);
    const back = parseDocuments(text, { validate: true });
    assert.deepStrictEqual(back, docs);
    assert.deepStrictEqual(keyOrder(back), keyOrder(docs));
    assertValidStream(back);
  });

  test("each line is a [name, doc] pair; blank lines, CRLF and a BOM are tolerated", () => {
    const [first, second] = sampleRun().docs as [NamedDocument, NamedDocument];
    const line = encodeDocumentLine(...first);
    assert.deepStrictEqual(JSON.parse(line), [first[0], first[1]]);
    const text = `\uFEFF${line}\r\n\r\n  \n${encodeDocumentLine(...second)}\r\n`;
    assert.deepStrictEqual(parseDocuments(text), [first, second]);
  });

  test("bad lines are errors naming the line number and the problem", () => {
    const good = encodeDocumentLine(...(sampleRun().docs[0] as NamedDocument));
    const cases: [string, RegExp][] = [
      ["{not json", /line 2: invalid JSON at column 2/],
      ['["start"]', /line 2: expected a \[name, doc\] pair, got \["start"\]/],
      ['["begin", {}]', /line 2: unknown document name "begin"; expected one of start/],
      ['["start", [1]]', /line 2: the start document must be a JSON object, got \[1\]/],
      ['["bulk_events", {}]', /line 2: unknown document name "bulk_events"/],
    ];
    for (const [bad, message] of cases) {
      assert.throws(
        () => parseDocuments(`${good}\n${bad}\n`),
        (e: Error) => e instanceof EventModelValueError && message.test(e.message),
        bad,
      );
    }
    assert.throws(
      () => parseDocumentLine('["stop", {"uid": "x"}]', 9, { validate: true }),
      /line 9: invalid stop document: \/time: required field is missing/,
    );
    assert.throws(
      () => encodeDocumentLine("nope" as "start", {}),
      /cannot write a document named "nope"/,
    );
  });
});

describe("readDocuments / JsonlWriter", () => {
  test("a file written with JsonlWriter reads back as the same stream", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cerulean-jsonl-"));
    try {
      const path = join(dir, "run.jsonl");
      const docs = awkwardRun();
      const writer = new JsonlWriter(path);
      for (const [name, doc] of docs.slice(0, 3)) await writer.write(name, doc);
      for (const pair of docs.slice(3)) writer.callback(...pair);
      await writer.close();
      assert.equal(await readFile(path, "utf8"), serializeDocuments(docs));
      const back: NamedDocument[] = [];
      for await (const pair of readDocuments(path, { validate: true })) back.push(pair);
      assert.deepStrictEqual(back, docs);

      const appender = new JsonlWriter(path, { append: true });
      await appender.write(...(docs[0] as NamedDocument));
      await appender.close();
      assert.equal(parseDocuments(await readFile(path, "utf8")).length, docs.length + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("reading a stream reports the line number of a bad line", async () => {
    const good = encodeDocumentLine(...(sampleRun().docs[0] as NamedDocument));
    const input = Readable.from([`${good}\n\n${good.slice(0, 10)}`, "\n"]);
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const [name] of readDocuments(input)) seen.push(name);
    }, /line 3: invalid JSON/);
    assert.deepStrictEqual(seen, ["start"]);
  });

  test("write waits for a slow stream (backpressure) and keeps the order", async () => {
    const chunks: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        setImmediate(done);
      },
    });
    const writer = new JsonlWriter(slow);
    const docs = sampleRun().docs;
    for (const [name, doc] of docs) await writer.write(name, doc);
    await writer.close();
    assert.deepStrictEqual(parseDocuments(chunks.join("")), docs);
  });

  test("a stream error fails the next write; end: false leaves the stream open", async () => {
    const failing = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error("disk full"));
      },
    });
    const writer = new JsonlWriter(failing);
    const [first] = sampleRun().docs as [NamedDocument];
    writer.callback(...first);
    await new Promise((r) => setImmediate(r));
    await assert.rejects(writer.write(...first), /disk full/);
    assert.throws(() => writer.callback(...first), /disk full/);

    const kept: string[] = [];
    const open = new Writable({
      write(chunk: Buffer, _encoding, done) {
        kept.push(chunk.toString());
        done();
      },
    });
    const keeper = new JsonlWriter(open, { end: false });
    await keeper.write(...first);
    await keeper.close();
    assert.equal(open.writableEnded, false);
    assert.equal(kept.length, 1);
  });

  test("a line written by Python's json.dumps is read", async () => {
    const python =
      '["stop", {"uid": "x", "time": 1.0, "run_start": "s", "exit_status": "success", "reason": "", "num_events": {"primary": 3}}]\n';
    const dir = await mkdtemp(join(tmpdir(), "cerulean-jsonl-"));
    try {
      await writeFile(join(dir, "py.jsonl"), python);
      const docs: NamedDocument[] = [];
      for await (const pair of readDocuments(join(dir, "py.jsonl"), { validate: true }))
        docs.push(pair);
      assert.deepStrictEqual(docs, [
        [
          "stop",
          {
            uid: "x",
            time: 1,
            run_start: "s",
            exit_status: "success",
            reason: "",
            num_events: { primary: 3 },
          },
        ],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
