import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatDuration, formatProgress, ProgressBar } from "../src/progress-bar.ts";
import { linspace, replay, simScan } from "./sim-run.ts";

describe("progress", () => {
  test("a line shows the bar, points, percentage, rate and time remaining", () => {
    assert.equal(
      formatProgress({ done: 15, total: 50, elapsed: 6, width: 10 }),
      "[###-------]  15/50   30%  2.50 pts/s  elapsed 0:06  remaining 0:14",
    );
    assert.equal(
      formatProgress({ done: 0, total: 5, elapsed: 0, width: 4 }),
      "[----]  0/5    0%  ? pts/s  elapsed 0:00  remaining ?",
    );
    assert.equal(formatDuration(3725), "1:02:05");
  });

  test("a run with num_points prints a line every tenth of the run and a summary", () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s) => out.push(s), redraw: false, width: 10 });
    replay(simScan({ positions: linspace(-1, 1, 20), dt: 0.5 }), bar.callback);
    assert.equal(out.length, 11);
    assert.match(out[0] ?? "", /^\[#---------\] {3}2\/20 {3}10%/);
    assert.match(out[9] ?? "", /^\[##########\] {2}20\/20 {2}100% {2}.* remaining 0:00\n$/);
    assert.match(out[10] ?? "", /^20\/20 points in 0:10 \(success\)\n$/);
  });

  test("redraw mode rewrites one line with carriage returns", () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s) => out.push(s), redraw: true });
    replay(simScan({ positions: [0, 1, 2] }), bar.callback);
    assert.equal(out.filter((s) => s.startsWith("\r")).length, 3);
    assert.equal(bar.state, null);
  });

  test("runs without num_points are left alone", () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s) => out.push(s), redraw: false });
    replay(simScan({ positions: [0, 1], metadata: { num_points: undefined } }), bar.callback);
    assert.deepEqual(out, []);
  });

  test("events replayed after an immediate pause (same seq_num) are not counted twice", () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s) => out.push(s), redraw: false, every: 1 });
    const docs = simScan({ positions: [0, 1, 2, 3] });
    // The engine rewinds to the last checkpoint and emits points 2 and 3 again.
    const events = docs.filter(([name]) => name === "event");
    const stopAt = docs.findIndex(([name]) => name === "stop");
    const replayed = [...docs.slice(0, stopAt), events[1]!, events[2]!, ...docs.slice(stopAt)];
    replay(replayed, bar.callback);
    assert.match(out.at(-1) ?? "", /^4\/4 points in/);
    assert.ok(
      out.every((line) => !/[5-9]\/4/.test(line)),
      out.join(""),
    );
  });
});
