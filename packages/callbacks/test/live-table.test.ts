// Times in the fixtures are local clock times: pin the zone before any Date is made.
process.env["TZ"] = "UTC";

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { LiveTable } from "../src/live-table.ts";
import { formatsRun, knownScan } from "./fixture-runs.ts";
import { linspace, replay, simScan } from "./sim-run.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8").split("\n");

/** What LiveTable prints, as the lines a terminal shows. */
function printed(fields: string[], docs: Parameters<typeof replay>[0], options = {}): string[] {
  let text = "";
  const table = new LiveTable(fields, { ...options, out: (s) => (text += `${s}\n`) });
  replay(docs, table.callback);
  return text.split("\n");
}

function assertSameLines(actual: string[], expected: string[]) {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    assert.equal(actual[i], expected[i], `line ${i + 1} differs`);
  }
}

describe("LiveTable", () => {
  test("a known scan prints line for line as the stored text", () => {
    assertSameLines(printed(["motor", "det"], knownScan()), fixture("live-table-scan.txt"));
  });

  test("a writable stream gets the same text", () => {
    const chunks: string[] = [];
    const table = new LiveTable(["motor", "det"], {
      out: { write: (text: string) => chunks.push(text) },
    });
    replay(knownScan(), table.callback);
    assertSameLines(chunks.join("").split("\n"), fixture("live-table-scan.txt"));
  });

  test("an event page prints the same rows as the events", () => {
    assertSameLines(printed(["motor", "det"], knownScan(true)), fixture("live-table-scan.txt"));
  });

  test("precisions, dtypes, overflow, NaN, bad values and header reprints print as stored", () => {
    const fields = ["motor", "det", "long_detector_name", "status", "shutter", "img", "missing"];
    assertSameLines(
      printed(fields, formatsRun(), { printHeaderInterval: 4 }),
      fixture("live-table-formats.txt"),
    );
  });

  test("only the chosen stream is shown; baseline events are not rows", () => {
    const docs = simScan({ positions: linspace(-1, 1, 3), baseline: { det: 7 } });
    const lines = printed(["det"], docs);
    assert.equal(lines.filter((l) => /^\|\s+\d+ \|/.test(l)).length, 3);
    const baselineOnly = printed(["det"], docs, { streamName: "baseline" });
    assert.equal(baselineOnly.filter((l) => l.includes("7.000")).length, 2);
  });

  test("the logbook receives the watermark and every printed line", () => {
    const entries: string[] = [];
    const table = new LiveTable(["motor", "det"], {
      out: () => {},
      logbook: (s) => entries.push(s),
    });
    replay(knownScan(), table.callback);
    assert.equal(entries.length, 1);
    const lines = (entries[0] ?? "").split("\n");
    assert.equal(lines[0], "generator scan ['3f2a9c1e'] (scan num: 1)");
    assert.ok(lines.includes("|         3 | 22:13:20.3 |      0.000 |      1.000 |"));
  });

  test("without separator lines there are no blank lines around the table", () => {
    const lines = printed(["motor", "det"], knownScan(), { separatorLines: false });
    assert.ok(lines[0]?.startsWith("+---"));
    assert.equal(lines.filter((l) => l === "").length, 1); // the final newline only
  });

  test("a stop of another run is ignored", () => {
    const lines: string[] = [];
    const table = new LiveTable(["det"], { out: (s) => lines.push(s) });
    const docs = knownScan();
    const [startDoc, ...rest] = docs;
    if (!startDoc) throw new Error("no start");
    table.callback(...startDoc);
    for (const doc of rest) {
      if (doc[0] === "stop") table.callback("stop", { ...doc[1], run_start: "other" });
      else table.callback(...doc);
    }
    assert.ok(!lines.some((l) => l.includes("scan num")));
  });
});
