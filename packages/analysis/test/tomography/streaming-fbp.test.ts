import { equal, ok, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  normalizedCrossCorrelation,
  reconstructionCircle,
  rootMeanSquareError,
} from "../../src/tomography/image-similarity.ts";
import { StreamingFbp } from "../../src/tomography/streaming-fbp.ts";
import {
  projectEllipses,
  rasterizeEllipses,
  TEST_ELLIPSES,
  type TestEllipse,
} from "./ellipse-phantom.ts";

const angles = (n: number): number[] => Array.from({ length: n }, (_, i) => (180 * i) / n);

function reconstruct(
  width: number,
  ellipses: readonly TestEllipse[],
  over: readonly number[],
): StreamingFbp {
  const fbp = new StreamingFbp({ width });
  for (const angle of over) fbp.addProjection(angle, [projectEllipses(ellipses, width, angle)]);
  return fbp;
}

describe("StreamingFbp", () => {
  // 180 projections over 180° at 64 pixels: the sampled true image has edges the band-limited
  // reconstruction can only blur over about a pixel, which costs a few hundredths of NCC on a
  // head-sized object; everything else (geometry, scale, filter) must be right to pass 0.97.
  it("reconstructs the test head to NCC ≥ 0.97 and RMSE < 0.06 after 180 projections", () => {
    const width = 64;
    const fbp = reconstruct(width, TEST_ELLIPSES, angles(180));
    const truth = rasterizeEllipses(TEST_ELLIPSES, width);
    const mask = reconstructionCircle(width);
    const ncc = normalizedCrossCorrelation(fbp.slice(0), truth, mask);
    const rmse = rootMeanSquareError(fbp.slice(0), truth, mask);
    ok(ncc >= 0.97, `NCC ${ncc}`);
    ok(rmse < 0.06, `RMSE ${rmse} (densities span 0..1.4)`);
    equal(fbp.projections, 180);
  });

  it("gives densities, not just shapes: a uniform disc comes back at its density", () => {
    const width = 64;
    const disc = [{ density: 2.5, a: 0.6, b: 0.6, x0: 0, y0: 0, phi: 0 }];
    const slice = reconstruct(width, disc, angles(180)).slice(0);
    // The inner half of the disc, away from the edge's blur.
    const inner = Array.from(slice).filter((_, i) => {
      const [x, y] = [(i % width) - 31.5, Math.floor(i / width) - 31.5];
      return x * x + y * y < 10 ** 2;
    });
    const mean = inner.reduce((s, v) => s + v, 0) / inner.length;
    ok(Math.abs(mean - 2.5) < 0.05, `mean inside ${mean}`);
    // Outside the disc (radius 19.2 pixels) but inside the field of view: empty.
    const outside = slice[31 * width + 31 + 26] ?? Number.NaN;
    ok(Math.abs(outside) < 0.05, `outside the disc ${outside}`);
  });

  it("has a usable slice after every projection, converging as projections arrive", () => {
    const width = 48;
    const truth = rasterizeEllipses(TEST_ELLIPSES, width);
    const mask = reconstructionCircle(width);
    const fbp = new StreamingFbp({ width, filter: "shepp-logan" });
    const ncc: number[] = [];
    // Golden-angle order: every prefix covers 180° about evenly, as an interlaced scan does.
    for (let i = 0; i < 120; i++) {
      const angle = (i * 111.246117975) % 180;
      fbp.addProjection(angle, [projectEllipses(TEST_ELLIPSES, width, angle)]);
      if ([1, 8, 30, 120].includes(i + 1)) {
        ncc.push(normalizedCrossCorrelation(fbp.slice(0), truth, mask));
      }
    }
    for (let i = 1; i < ncc.length; i++) ok((ncc[i] ?? 0) > (ncc[i - 1] ?? 0), `${ncc}`);
    ok((ncc[3] ?? 0) > 0.95, `after 120: ${ncc[3]}`);
  });

  it("reconstructs each detector row into its own slice, in any order of angles", () => {
    const width = 32;
    const over = angles(90);
    const fbp = new StreamingFbp({ width, slices: 2 });
    const shuffled = [...over].sort((a, b) => Math.sin(a * 7.1) - Math.sin(b * 7.1));
    for (const angle of shuffled) {
      const row = projectEllipses(TEST_ELLIPSES, width, angle);
      fbp.addProjection(angle, [row, row.map((v) => 3 * v)]);
    }
    const inOrder = reconstruct(width, TEST_ELLIPSES, over).slice(0);
    const [first, second] = fbp.volume();
    for (let i = 0; i < width * width; i++) {
      ok(Math.abs((first?.[i] ?? 0) - (inOrder[i] ?? 0)) < 1e-9);
      ok(Math.abs((second?.[i] ?? 0) - 3 * (inOrder[i] ?? 0)) < 1e-9);
    }
    equal(fbp.sliceRows(1).length, width);
  });

  it("follows a rotation axis off the detector centre", () => {
    const width = 48;
    const shift = 3;
    // Shrunk so that the shifted projections stay on the detector.
    const small = TEST_ELLIPSES.map((e) => ({
      ...e,
      a: 0.8 * e.a,
      b: 0.8 * e.b,
      x0: 0.8 * e.x0,
      y0: 0.8 * e.y0,
    }));
    const centred = reconstruct(width, small, angles(90)).slice(0);
    const fbp = new StreamingFbp({ width, center: (width - 1) / 2 + shift });
    for (const angle of angles(90)) {
      const row = projectEllipses(small, width, angle);
      fbp.addProjection(angle, [row.map((_, j) => row[j - shift] ?? 0)]);
    }
    const mask = reconstructionCircle(width);
    const ncc = normalizedCrossCorrelation(fbp.slice(0), centred, mask);
    ok(ncc > 0.99, `NCC ${ncc} against the centred reconstruction`);
  });

  it("is all zeros before the first projection and after reset", () => {
    const fbp = new StreamingFbp({ width: 16 });
    ok(fbp.slice(0).every((v) => v === 0));
    fbp.addProjection(0, [new Array(16).fill(1)]);
    ok(fbp.slice(0).some((v) => v !== 0));
    fbp.reset();
    equal(fbp.projections, 0);
    equal(fbp.lastAngle, undefined);
    ok(fbp.slice(0).every((v) => v === 0));
  });

  it("refuses projections of the wrong shape or with bad numbers, naming what it expected", () => {
    const fbp = new StreamingFbp({ width: 4, slices: 2 });
    const ok4 = [0, 1, 1, 0];
    throws(() => fbp.addProjection(0, [ok4]), /1 rows at 0°; expected 2 rows of 4 pixels/);
    throws(() => fbp.addProjection(0, [ok4, [1, 2]]), /row 1 .* has 2 pixels; expected 4/);
    throws(() => fbp.addProjection(0, [ok4, [0, Number.NaN, 0, 0]]), /pixel 1 of row 1/);
    throws(() => fbp.addProjection(Number.NaN, [ok4, ok4]), /angle NaN/);
    throws(() => fbp.slice(2), /slice 2 does not exist; expected an index in 0\.\.1/);
    throws(() => new StreamingFbp({ width: 1 }), /width 1/);
    equal(fbp.projections, 0);
  });
});
