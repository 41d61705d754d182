import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import { createJsonlSerializer } from "../../src/jsonl/jsonl-serializer.ts";
import { readJsonl } from "../../src/jsonl/read-jsonl.ts";
import { feed, scalarRun, tempDir } from "../fixtures.ts";

describe("JSON-lines serializer", () => {
  it("round-trips every document, names as received, NaN included", async (t) => {
    const docs = scalarRun({ events: 4, image: [2, 3] });
    assertValidStream(docs);
    const serializer = createJsonlSerializer({ directory: tempDir(t) });
    feed(serializer, docs);
    const [file] = await serializer.close();
    const back: unknown[] = [];
    for await (const pair of readJsonl(file as string)) back.push(pair);
    assert.deepEqual(back, docs);
    const lines = readFileSync(file as string, "utf8")
      .trimEnd()
      .split("\n");
    assert.equal(lines.length, docs.length);
    assert.match(lines[4] as string, /^\["event",/, "a single event stays an event");
    assert.match(
      readFileSync(file as string, "utf8"),
      /,NaN,/,
      "NaN is written as Python writes it",
    );
  });

  it("writes typed arrays as plain JSON arrays", async (t) => {
    const docs = scalarRun({ events: 1 });
    const event = docs.find(([name, doc]) => name === "event" && "det" in (doc["data"] as object));
    assert.ok(event);
    (event[1]["data"] as Record<string, unknown>)["spectrum"] = new Float32Array([1, 2, 3, 4]);
    const serializer = createJsonlSerializer({ directory: tempDir(t) });
    feed(serializer, docs);
    const [file] = await serializer.close();
    assert.match(readFileSync(file as string, "utf8"), /"spectrum":\[1,2,3,4\]/);
  });
});
