import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NoResultError } from "@cerulean/analysis";
import { LastRunPeak } from "../src/last-run-peak.ts";
import { linspace, replay, simScan, synGauss } from "./sim-run.ts";

describe("LastRunPeak", () => {
  test("gives cen, com and peak of the last good run, picking x and y from the hints", () => {
    const last = new LastRunPeak();
    replay(
      simScan({ positions: linspace(-4, 4, 33), detector: synGauss({ center: 1.25 }) }),
      last.callback,
    );
    assert.equal(last.result?.x, "motor");
    assert.equal(last.result?.y, "det");
    assert.ok(Math.abs(last.cen() - 1.25) < 0.01);
    assert.ok(Math.abs(last.com() - 1.25) < 0.01);
    assert.equal(last.peak(), 1.25);
    assert.equal(last.position("max"), 1.25);
  });

  test("an aborted run does not replace the last good result", () => {
    const last = new LastRunPeak();
    replay(
      simScan({ positions: linspace(-4, 4, 33), detector: synGauss({ center: -1 }) }),
      last.callback,
    );
    replay(
      simScan({
        positions: linspace(-4, 0, 5),
        detector: synGauss({ center: 3 }),
        exitStatus: "abort",
      }),
      last.callback,
    );
    assert.ok(Math.abs(last.cen() + 1) < 0.01);
  });

  test("asking before any run, or for a statistic that does not exist, throws NoResultError", () => {
    const last = new LastRunPeak({ x: "motor", y: "det" });
    assert.throws(() => last.cen(), NoResultError);
    replay(simScan({ positions: [0, 1, 2], detector: () => 5 }), last.callback);
    assert.throws(() => last.cen(), /no usable "cen"/);
  });
});
