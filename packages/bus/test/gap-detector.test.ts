import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { GapDetector } from "../src/gap-detector.ts";
import { gaussianScanDocuments } from "../src/testing/gaussian-scan.ts";

function gapsOf(docs: NamedDocument[], detector = new GapDetector()) {
  return docs.map((d) => detector.observe(...d)).filter((g) => g !== undefined);
}

describe("finding lost documents from the documents themselves", () => {
  it("sees nothing wrong in a complete run", () => {
    deepStrictEqual(gapsOf(gaussianScanDocuments({ points: 5 })), []);
  });

  it("counts events missing in the middle of a stream from the seq_num jump", () => {
    const docs = gaussianScanDocuments({ points: 6 });
    const gaps = gapsOf(docs.filter((_, i) => i !== 3 && i !== 4));
    strictEqual(gaps.length, 1);
    strictEqual(gaps[0]?.reason, "content");
    strictEqual(gaps[0]?.missed, 2);
    ok(gaps[0]?.message.includes('"primary"'));
  });

  it("counts events missing at the end from the stop document's num_events", () => {
    const docs = gaussianScanDocuments({ points: 5 });
    const gaps = gapsOf([...docs.slice(0, -3), docs.at(-1)!]);
    strictEqual(gaps.length, 1);
    strictEqual(gaps[0]?.missed, 2);
  });

  it("counts the events of a stream whose descriptor was lost", () => {
    const docs = gaussianScanDocuments({ points: 4 });
    const gaps = gapsOf(docs.filter(([name]) => name !== "descriptor"));
    strictEqual(gaps.length, 1);
    strictEqual(gaps[0]?.missed, 4);
  });

  it("does not call a rewind (seq_num going back after a pause) a loss", () => {
    const docs = gaussianScanDocuments({ points: 4 });
    const replayed = [...docs.slice(0, 5), docs[4]!, docs[5]!, docs.at(-1)!];
    deepStrictEqual(gapsOf(replayed), []);
  });

  it("does not judge runs it joined in the middle, nor after reset()", () => {
    const docs = gaussianScanDocuments({ points: 4 });
    deepStrictEqual(gapsOf(docs.slice(3)), []);
    const detector = new GapDetector();
    gapsOf(docs.slice(0, 3), detector);
    detector.reset();
    deepStrictEqual(gapsOf(docs.slice(5), detector), []);
  });
});
