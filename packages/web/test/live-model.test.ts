// The live model of public/lib/live-model.js (no DOM use, so node runs it): hinted fields
// against the motor, event pages unpacked, grid placement with snaking, NaN-tolerant frames.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import {
  gridScanWithImages,
  interleave,
  lastEventData,
  peakScan,
  reconstructionRun,
  runUid,
} from "./support/synthetic-runs.ts";

interface LiveRun {
  xKey: string;
  yKeys: string[];
  x: number[];
  y: Record<string, (number | null)[]>;
  events: number;
  grid: { values: Float64Array } | null;
  image: { key: string; rows: number[][]; run: string } | null;
  images: { key: string; rows: number[][]; run: string; plan: string }[];
  start: { uid: string } | null;
  stop: { exit_status: string } | null;
  push(name: string, doc: unknown): void;
  resetOpenRuns(): void;
}
interface LiveModelModule {
  LiveRun: new () => LiveRun;
  parseFrame(text: string): unknown;
  isImage(value: unknown): boolean;
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

test("a derived run's slices show beside the plotted run, which keeps the plot", () => {
  const scan = peakScan(20);
  const recon = reconstructionRun(5, 16);
  const docs = interleave(scan, recon);
  assertValidStream(scan);
  assertValidStream(recon);
  const live = new lm.LiveRun();
  for (const [name, doc] of docs) live.push(name, doc);
  const scanUid = runUid(scan);
  const reconUid = runUid(recon);
  assert.equal(live.start?.uid, scanUid);
  assert.equal(live.x.length, 20);
  assert.equal(live.stop?.exit_status, "success");
  assert.deepEqual(
    live.images.map((im) => [im.key, im.run, im.plan, im.rows.length]),
    [["slice", reconUid, "streaming_fbp", 16]],
  );
  // The panel holds the last slice sent.
  assert.deepEqual(live.image?.rows, lastEventData(recon)["slice"]);
});

test("a run started after the plotted one stopped takes the plot and drops stale images", () => {
  const live = new lm.LiveRun();
  for (const [name, doc] of gridScanWithImages(3, 3)) live.push(name, doc);
  assert.equal(live.image?.key, "cam");
  const next = peakScan(4);
  for (const [name, doc] of next) live.push(name, doc);
  assert.equal(live.start?.uid, runUid(next));
  assert.equal(live.x.length, 4);
  assert.equal(live.images.length, 0);
});

test("after a gap (a stop may be lost) the next run takes the plot over", () => {
  const live = new lm.LiveRun();
  const first = peakScan(3);
  for (const [name, doc] of first.slice(0, -1)) live.push(name, doc); // its stop never arrives
  live.resetOpenRuns();
  const next = peakScan(2);
  for (const [name, doc] of next) live.push(name, doc);
  assert.equal(live.start?.uid, runUid(next));
  assert.equal(live.x.length, 2);
});

test("only 2-D arrays of numbers count as images (not lists, stacks or external references)", () => {
  assert.equal(
    lm.isImage([
      [1, 2],
      [3, null],
    ]),
    true,
  );
  assert.equal(lm.isImage([1, 2, 3]), false);
  assert.equal(lm.isImage([[[1], [2]]]), false); // a stack of frames, not one image
  assert.equal(lm.isImage([[]]), false);
  assert.equal(lm.isImage("datum-id/0"), false);
  assert.equal(lm.isImage([["a"]]), false);
});

test("a derived run naming the plotted run as parent leaves it the plot, even after its stop", () => {
  const live = new lm.LiveRun();
  const scan = peakScan(5);
  for (const [name, doc] of scan) live.push(name, doc);
  for (const [name, doc] of reconstructionRun(2, 8, runUid(scan))) live.push(name, doc);
  assert.equal(live.start?.uid, runUid(scan));
  assert.equal(live.x.length, 5);
  assert.equal(live.image?.key, "slice");
});
