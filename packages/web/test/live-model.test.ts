// The live model of public/lib/live-model.js (no DOM use, so node runs it): hinted fields
// against the motor, event pages unpacked, grid placement with snaking, NaN-tolerant frames.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gridScanWithImages, peakScan } from "./support/synthetic-runs.ts";

interface LiveRun {
  xKey: string;
  yKeys: string[];
  x: number[];
  y: Record<string, (number | null)[]>;
  events: number;
  grid: { values: Float64Array } | null;
  image: { key: string; rows: number[][] } | null;
  push(name: string, doc: unknown): void;
}
interface LiveModelModule {
  LiveRun: new () => LiveRun;
  parseFrame(text: string): unknown;
}
const modulePath = "../public/lib/live-model.js";
const lm = (await import(modulePath)) as LiveModelModule;

test("every event of a 1-D scan becomes a point of the hinted field against the motor", () => {
  const live = new lm.LiveRun();
  for (const [name, doc] of peakScan(30)) live.push(name, doc);
  assert.equal(live.xKey, "motor");
  assert.deepEqual(live.yKeys, ["det"]);
  assert.equal(live.x.length, 30);
  assert.equal(live.y["det"]?.length, 30);
  assert.equal(live.x[0], -1);
  assert.equal(live.x[29], 1);
});

test("event pages are unpacked row by row", () => {
  const live = new lm.LiveRun();
  const docs = peakScan(4);
  for (const [name, doc] of docs.slice(0, 2)) live.push(name, doc);
  const events = docs
    .slice(2, 6)
    .map(([, d]) => d as { descriptor: string; time: number; data: Record<string, number> });
  live.push("event_page", {
    descriptor: events[0]?.descriptor,
    time: events.map((e) => e.time),
    data: { motor: events.map((e) => e.data["motor"]), det: events.map((e) => e.data["det"]) },
  });
  assert.equal(live.events, 4);
  assert.deepEqual(
    live.x,
    events.map((e) => e.data["motor"]),
  );
});

test("a snaking grid scan fills every cell of the map and keeps the latest image", () => {
  const live = new lm.LiveRun();
  for (const [name, doc] of gridScanWithImages(5, 7)) live.push(name, doc);
  assert.ok(live.grid);
  assert.equal(live.grid.values.length, 35);
  assert.ok(live.grid.values.every((v) => Number.isFinite(v)));
  // The peak sits where the detector function peaks, not where a non-snaking fill would put it.
  const max = Math.max(...live.grid.values);
  assert.equal(live.grid.values.indexOf(max), 2 * 7 + 4);
  assert.equal(live.image?.key, "cam");
  assert.equal(live.image?.rows.length, 24);
});

test("frames with Python's NaN and Infinity tokens parse, strings untouched", () => {
  const frame = lm.parseFrame('{"a": NaN, "b": -Infinity, "c": "NaN and Infinity"}');
  assert.deepEqual(frame, { a: null, b: null, c: "NaN and Infinity" });
});
