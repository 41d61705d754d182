// Issue 15, per-event feedback: a plan that reads a callback's running result (LiveFit) to
// choose its next point. The code between the recipe markers is the recipe of
// packages/engine/docs/recipes/feedback.md, and a test checks that the two stay identical.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gaussian } from "@cerulean/analysis";
import { LiveFit } from "@cerulean/callbacks";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  close_run,
  type EngineLog,
  mv,
  open_run,
  type Plan,
  RunEngine,
  trigger_and_read,
} from "@cerulean/engine";
import { assertValidStream } from "@cerulean/event-model/testing";

// recipe:start
/** Options of fit_guided_scan. */
interface FitGuidedScanOptions {
  /** Points of the first, evenly spaced pass over [start, stop]. */
  coarse: number;
  /** Stop once the fitted centre's standard error is below this. */
  tolerance: number;
  /** Most points in all. */
  maxPoints: number;
}

/**
 * One run: an even pass of `coarse` points over [start, stop], then each next point where the
 * running fit says the centre is best pinned down (centre ± sigma, the steepest flanks, taken
 * in turn), until the centre's standard error is below `tolerance`. `fit` must be subscribed
 * to the run (`RE.call(plan, { subs: fit.callback })`): the engine hands each event to the
 * subscribers before the plan resumes, so `fit.result` already includes the point just read.
 * Returns the fitted centre, or null when no peak could be fitted.
 */
function* fit_guided_scan(
  det: unknown,
  motor: unknown,
  fit: LiveFit,
  start: number,
  stop: number,
  options: FitGuidedScanOptions,
): Plan<number | null> {
  yield* open_run({ plan_name: "fit_guided_scan", plan_args: { start, stop, ...options } });
  let points = 0;
  const measure = function* (x: number) {
    yield* mv(motor, x);
    yield* trigger_and_read([det, motor]);
    points += 1;
  };
  for (let i = 0; i < options.coarse; i++) {
    yield* measure(start + ((stop - start) * i) / (options.coarse - 1));
  }
  let side = 1;
  while (points < options.maxPoints) {
    const result = fit.result;
    const center = result?.params["center"];
    const sigma = result?.params["sigma"];
    const stderr = result?.stderr["center"];
    if (!result?.success || center === undefined || sigma === undefined) break;
    if (stderr != null && stderr < options.tolerance) break;
    yield* measure(Math.min(stop, Math.max(start, center + side * sigma)));
    side = -side;
  }
  yield* close_run();
  const last = fit.result;
  return last?.success ? (last.params["center"] ?? null) : null;
}
// recipe:end

const RECIPE = fileURLToPath(new URL("../../engine/docs/recipes/feedback.md", import.meta.url));
const quiet: EngineLog = { info() {}, warn() {} };
const dataDir = mkdtempSync(join(tmpdir(), "cerulean-feedback-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe("per-event feedback from a LiveFit", () => {
  test("the plan pins down noisy_det's centre, each point chosen from the running fit", async () => {
    const { noisy_det, motor } = await createSimBeamline({ seed: 2, dataDir });
    await noisy_det.center.set(1.37);
    const RE = new RunEngine({ log: quiet });
    const documents: [string, unknown][] = [];
    RE.subscribe((name, doc) => documents.push([name, doc]));
    // A rough starting point: refits then start from it, not from a guess made from the data,
    // which points bunched on the flanks can mislead.
    const fit = new LiveFit(
      gaussian(),
      "noisy_det",
      { x: "motor" },
      {
        initGuess: { amplitude: 2, center: 0, sigma: 1 },
      },
    );
    const seenByPlan: number[] = [];
    const tolerance = 0.02;
    const { planResult } = await RE.call(
      fit_guided_scan(noisy_det, motor, fit, -5, 5, { coarse: 15, tolerance, maxPoints: 200 }),
      {
        subs: [
          fit.callback,
          (...[name]) => {
            if (name === "event") seenByPlan.push(fit.result?.ndata ?? 0);
          },
        ],
      },
    );
    const center = planResult as number | null;
    assert.ok(
      center !== null && Math.abs(center - 1.37) < 3 * tolerance,
      `centre ${center} ${fit.result?.reason} ${fit.data.x.length} ${JSON.stringify(fit.data.x)}`,
    );
    assert.ok((fit.result?.stderr["center"] ?? 1) < tolerance);
    const events = documents
      .filter(([n]) => n === "event")
      .map(([, d]) => d as { data: Record<string, number> });
    // Far fewer points than a grid at the tolerance, and past the coarse pass they sit on the flanks.
    assert.ok(events.length < 10 / tolerance / 5, `${events.length} points`);
    assert.ok(events.length > 15);
    const sigma = fit.result?.params["sigma"] ?? 1;
    for (const e of events.slice(16)) {
      assert.ok(
        Math.abs(Math.abs((e.data["motor"] ?? 0) - 1.37) - sigma) < 0.2,
        JSON.stringify(e.data),
      );
    }
    // Each event was fitted before the next message: the fit always covered every point so far,
    // from the first fit on (one point more than the gaussian's three parameters).
    const firstFit = fit.model.paramNames.length + 1;
    assert.deepEqual(
      seenByPlan,
      events.map((_, i) => (i + 1 >= firstFit ? i + 1 : 0)),
    );
    assertValidStream(documents);
  });

  test("the recipe in the engine docs is the code tested here", () => {
    const own = readFileSync(fileURLToPath(import.meta.url), "utf8");
    const code = own.slice(own.indexOf("// recipe:start\n") + 16, own.indexOf("// recipe:end"));
    const doc = readFileSync(RECIPE, "utf8");
    // The recipe's second code block is the plan (the first shows the imports).
    const block = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)][1]?.[1];
    assert.equal(block, code);
  });
});
