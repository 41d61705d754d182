import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { describe, it } from "node:test";
import { DocumentLog } from "../../src/websocket/document-log.ts";

describe("the replay log of the document WebSocket", () => {
  it("numbers documents from 1 and remembers where the latest run started", () => {
    const log = new DocumentLog();
    log.append("start", { json: "a" }, 1);
    log.append("event", { json: "b" }, 1);
    log.append("start", { json: "c" }, 1);
    strictEqual(log.nextSeq, 4);
    strictEqual(log.currentRunSeq, 3);
    strictEqual(log.get(2)?.frames.json, "b");
  });

  it("evicts the oldest documents beyond its bounds, by count and by bytes", () => {
    const log = new DocumentLog({ maxDocuments: 3, maxBytes: 100 });
    for (let i = 0; i < 5; i++) log.append("event", { json: String(i) }, 10);
    deepStrictEqual([log.firstSeq, log.nextSeq], [3, 6]);
    strictEqual(log.get(2), undefined);
    log.append("event", { json: "big" }, 95);
    deepStrictEqual([log.firstSeq, log.get(6)?.frames.json], [6, "big"]);
  });

  it("keeps a document larger than the byte bound rather than none", () => {
    const log = new DocumentLog({ maxBytes: 10 });
    log.append("event", { json: "x".repeat(50) }, 50);
    strictEqual(log.get(1)?.bytes, 50);
  });
});
