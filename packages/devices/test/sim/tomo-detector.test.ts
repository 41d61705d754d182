import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import {
  createSimBeamline,
  SynAxis,
  seededRandom,
  TomoDetector,
  TomoPhantom,
} from "../../src/sim/index.ts";
import { assertDescribeMatchesRead } from "../../src/testing/index.ts";
import { stepRun } from "./run-documents.ts";

const discPhantom = (size: number): TomoPhantom =>
  new TomoPhantom({
    size,
    slices: 2,
    ellipsoids: [{ density: 1, a: 0.5, b: 0.5, c: 1e6, x0: 0.5, y0: 0, z0: 0, phi: 0 }],
  });

describe("TomoDetector", () => {
  it("describes its projection as a rows × pixels array read inline", async () => {
    const det = new TomoDetector("tomo", { phantom: { size: 32, slices: 3 } });
    const keys = await det.describe();
    equal(keys["tomo"]?.dtype, "array");
    deepStrictEqual(keys["tomo"]?.shape, [3, 32]);
    equal(keys["tomo"]?.external, undefined);
    equal(keys["tomo_sum"]?.dtype, "number");
    deepStrictEqual(det.hints.fields, ["tomo_sum"]);
    deepStrictEqual(Object.keys(await det.readConfiguration()).sort(), [
      "tomo_exposure_time",
      "tomo_noise_sigma",
    ]);
    await det.trigger();
    await assertDescribeMatchesRead(det);
  });

  it("projects an off-centre disc at the rotation motor's angle", async () => {
    const rot = new SynAxis("rot", { egu: "deg" });
    const det = new TomoDetector("tomo", { motor: rot, phantom: discPhantom(64) });
    const R = 16;
    for (const angle of [0, 60, 90, 180]) {
      await rot.set(angle);
      await det.trigger();
      const image = (await det.read())["tomo"]?.value as number[][];
      equal(image.length, 2);
      const t0 = 16 * Math.cos((angle * Math.PI) / 180);
      for (const j of [10, 31, 40, 47, 60]) {
        const t = j - 31.5 - t0;
        const want = t * t < R * R ? 2 * Math.sqrt(R * R - t * t) : 0;
        ok(Math.abs((image[1]?.[j] ?? Number.NaN) - want) < 1e-9, `pixel ${j} at ${angle}°`);
      }
      const total = (await det.read())["tomo_sum"]?.value as number;
      ok(Math.abs(total - 2 * Math.PI * R * R) < 0.01 * total, `sum ${total} at ${angle}°`);
    }
  });

  it("adds seeded Gaussian noise of the configured sigma, the same for the same seed", async () => {
    const make = (): TomoDetector =>
      new TomoDetector("tomo", {
        phantom: discPhantom(128),
        noiseSigma: 0.5,
        random: seededRandom(7),
      });
    const [a, b] = [make(), make()];
    const clean = a.phantom.projection(0);
    const [pa, pb] = [await a.projectionAt(0), await b.projectionAt(0)];
    deepStrictEqual(pa, pb);
    const residuals = pa.flatMap((row, k) => row.map((v, j) => v - (clean[k]?.[j] ?? 0)));
    const mean = residuals.reduce((s, v) => s + v, 0) / residuals.length;
    const sd = Math.sqrt(residuals.reduce((s, v) => s + (v - mean) ** 2, 0) / residuals.length);
    ok(Math.abs(mean) < 0.1, `mean ${mean}`);
    ok(Math.abs(sd - 0.5) < 0.1, `sd ${sd}`);
    await a.noiseSigma.set(0);
    deepStrictEqual(await a.projectionAt(0), clean);
  });

  it("fails a trigger whose motor reads no angle, naming the motor field", async () => {
    const rot = new SynAxis("rot");
    const det = new TomoDetector("tomo", { motor: rot, motorField: "theta" });
    await rejects(async () => await det.trigger(), /rot's "theta"/);
  });

  it("sits on the sim beamline as tomo_det turned by rot, in valid documents", async () => {
    const hw = await createSimBeamline({ seed: 3 });
    equal(hw.rot.name, "rot");
    equal(hw.tomo_det.name, "tomo_det");
    await hw.rot.set(45);
    const docs = await stepRun([hw.rot, hw.tomo_det], 2);
    assertValidStream(docs);
    const event = docs.find(([name]) => name === "event")?.[1] as {
      data: Record<string, unknown>;
    };
    equal(event.data["rot"], 45);
    deepStrictEqual(event.data["tomo_det"], hw.tomo_det.phantom.projection(45));
  });
});
