import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composite, constant, type FitResult, gaussian, linear } from "@cerulean/analysis";
import type { NamedDocument } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { CallbackConfigurationError } from "../src/errors.ts";
import { LiveFit } from "../src/live-fit.ts";
import { linspace, replay, seededRandom, simScan, synGauss } from "./sim-run.ts";

const positions = linspace(-5, 5, 41);

describe("LiveFit", () => {
  test("fits noisy_det: centre within 0.1 of 0.5 and sigma within 10 % of 1", () => {
    const lf = new LiveFit(gaussian(), "det", { x: "motor" });
    replay(
      simScan({ positions, detector: synGauss({ center: 0.5, noise: 0.1, seed: 11 }) }),
      lf.callback,
    );
    const result = lf.result as FitResult;
    assert.equal(result.success, true, result.reason);
    assert.ok(Math.abs((result.params["center"] ?? 0) - 0.5) < 0.1);
    assert.ok(Math.abs((result.params["sigma"] ?? 0) - 1) < 0.1);
    assert.equal(result.ndata, 41);
  });

  test("fits first at one point more than the parameters, then every updateEvery points, then at the end", () => {
    const counts = (updateEvery: number | null, num: number) => {
      const seen: number[] = [];
      const lf = new LiveFit(
        gaussian(),
        "det",
        { x: "motor" },
        { updateEvery, onResult: (r) => seen.push(r.ndata) },
      );
      replay(simScan({ positions: linspace(-3, 3, num) }), lf.callback);
      return seen;
    };
    assert.deepEqual(counts(1, 6), [4, 5, 6]);
    assert.deepEqual(counts(5, 12), [4, 6, 11, 12]);
    assert.deepEqual(counts(5, 11), [4, 6, 11]);
    assert.deepEqual(counts(null, 10), [10]);
  });

  test("results are documents of an 'analysis' stream in a run linked to the scan", () => {
    const docs: NamedDocument[] = [];
    const lf = new LiveFit(
      composite(gaussian(), constant({ prefix: "bkg_" })),
      "det",
      { x: "motor" },
      {
        updateEvery: 10,
        emit: (...doc) => docs.push(doc),
      },
    );
    const scan = simScan({ positions, detector: (m) => synGauss({ noise: 0.05 })(m) + 2 });
    replay(scan, lf.callback);
    assertValidStream(docs);
    const names = docs.map(([name]) => name);
    assert.deepEqual(names.slice(0, 2), ["start", "descriptor"]);
    assert.equal(names[names.length - 1], "stop");
    const start = docs[0]?.[1] as Record<string, unknown>;
    assert.equal(start["parent_uid"], (scan[0]?.[1] as { uid: string } | undefined)?.uid);
    assert.equal(start["plan_name"], "live_fit");
    const descriptor = docs[1]?.[1] as { name: string; data_keys: Record<string, unknown> };
    assert.equal(descriptor.name, "analysis");
    assert.ok("center_stderr" in descriptor.data_keys && "fwhm" in descriptor.data_keys);
    const events = docs
      .filter(([name]) => name === "event")
      .map(([, doc]) => doc as { data: Record<string, unknown> });
    assert.deepEqual(
      events.map((e) => e.data["num_points"]),
      [5, 11, 21, 31, 41],
    );
    const last = events[events.length - 1]?.data ?? {};
    assert.equal(last["success"], true);
    assert.ok(Math.abs((last["center"] as number) - 0) < 0.1);
    assert.ok((last["center_stderr"] as number) > 0);
  });

  test("on pure noise the result and the analysis event say the fit failed, and why", () => {
    const docs: NamedDocument[] = [];
    const lf = new LiveFit(
      gaussian(),
      "det",
      { x: "motor" },
      { updateEvery: null, emit: (...d) => docs.push(d) },
    );
    const random = seededRandom(3);
    replay(simScan({ positions, detector: () => 0.1 * (2 * random() - 1) }), lf.callback);
    assert.equal(lf.result?.success, false);
    assert.ok((lf.result?.reason ?? "").length > 10);
    const event = docs.find(([name]) => name === "event")?.[1] as { data: Record<string, unknown> };
    assert.equal(event.data["success"], false);
    assert.equal(event.data["reason"], lf.result?.reason);
    assertValidStream(docs);
  });

  test("initGuess, fixed parameters and a yerr field reach the fit", () => {
    const lf = new LiveFit(
      linear(),
      "det",
      { x: "motor" },
      {
        updateEvery: null,
        initGuess: { slope: 1 },
        fitOptions: { fixed: { intercept: 0 } },
        yerr: "motor_setpoint",
      },
    );
    replay(simScan({ positions: linspace(1, 5, 9), detector: (m) => 2 * m }), lf.callback);
    assert.equal(lf.result?.initial["slope"], 1);
    assert.equal(lf.result?.params["intercept"], 0);
    assert.ok(Math.abs((lf.result?.params["slope"] ?? 0) - 2) < 1e-9);
  });

  test("independent variables must match the model; updateEvery must be a positive integer", () => {
    assert.throws(() => new LiveFit(gaussian(), "det", { t: "motor" }), CallbackConfigurationError);
    assert.throws(
      () => new LiveFit(gaussian(), "det", { x: "motor" }, { updateEvery: 0 }),
      /updateEvery/,
    );
  });
});
