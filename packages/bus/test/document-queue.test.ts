import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import type { DocumentGap } from "../src/document-bus.ts";
import { DocumentQueue } from "../src/document-queue.ts";
import { DocumentGapError } from "../src/errors.ts";
import { gaussianScanDocuments } from "../src/testing/gaussian-scan.ts";

async function drain(queue: DocumentQueue): Promise<NamedDocument[]> {
  const out: NamedDocument[] = [];
  for await (const doc of queue) out.push(doc);
  return out;
}

describe("the buffer between a push transport and its consumer", () => {
  it("drops what does not fit and reports it as one gap, after what it kept", async () => {
    const gaps: DocumentGap[] = [];
    const queue = new DocumentQueue({
      overflow: "drop",
      maxDocuments: 3,
      onGap: (g) => gaps.push(g),
    });
    const docs = gaussianScanDocuments({ points: 5 });
    for (const doc of docs) queue.push(doc, 10);
    queue.end();
    deepStrictEqual(await drain(queue), docs.slice(0, 3));
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["slow-consumer", docs.length - 3]],
    );
  });

  it("puts the gap before the documents that arrive once there is room again", async () => {
    const seen: string[] = [];
    const queue = new DocumentQueue({
      overflow: "drop",
      maxDocuments: 2,
      onGap: (g) => seen.push(`gap ${g.missed}`),
    });
    const docs = gaussianScanDocuments({ points: 3 });
    for (const doc of docs.slice(0, 4)) queue.push(doc, 1);
    const first = await queue.next();
    seen.push(String(first.value?.[0]));
    queue.push(docs[4]!, 1);
    queue.end();
    for await (const [name] of queue) seen.push(name);
    deepStrictEqual(seen, ["start", "descriptor", "gap 2", "event"]);
  });

  it("pauses the producer when full and resumes it at half", async () => {
    const calls: string[] = [];
    const queue = new DocumentQueue({
      overflow: "pause",
      maxDocuments: 4,
      onPause: () => calls.push("pause"),
      onResume: () => calls.push("resume"),
    });
    const docs = gaussianScanDocuments({ points: 4 });
    for (const doc of docs) queue.push(doc, 1);
    strictEqual(queue.length, docs.length);
    deepStrictEqual(calls, ["pause"]);
    // 7 held: resumes once no more than 2 (half of 4) are left.
    for (let i = 0; i < 4; i++) await queue.next();
    deepStrictEqual(calls, ["pause"]);
    await queue.next();
    deepStrictEqual(calls, ["pause", "resume"]);
  });

  it("ends the iteration with DocumentGapError when nobody handles gaps", async () => {
    const queue = new DocumentQueue({ overflow: "drop" });
    queue.pushGap({ reason: "content", missed: 2, message: "missed 2 events" });
    await rejects(queue.next(), (error: unknown) => {
      return error instanceof DocumentGapError && error.gap.missed === 2;
    });
  });

  it("gives the producer's failure to the consumer after what was queued", async () => {
    const queue = new DocumentQueue({ overflow: "drop" });
    const [start] = gaussianScanDocuments({ points: 1 });
    queue.push(start!, 1);
    queue.fail(new Error("socket gone"));
    deepStrictEqual((await queue.next()).value, start);
    await rejects(queue.next(), /socket gone/);
  });
});
