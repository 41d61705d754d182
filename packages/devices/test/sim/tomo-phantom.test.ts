import { equal, ok, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import { type Ellipsoid, sheppLogan3d, TomoPhantom } from "../../src/sim/index.ts";

const disc = (r: number, x0 = 0, y0 = 0, density = 1): Ellipsoid => ({
  density,
  a: r,
  b: r,
  c: 10,
  x0,
  y0,
  z0: 0,
  phi: 0,
});

function maxError(got: readonly number[], want: (j: number) => number): number {
  return Math.max(...got.map((v, j) => Math.abs(v - want(j))));
}

function meanError(got: readonly number[], want: (j: number) => number): number {
  return sum(got.map((v, j) => Math.abs(v - want(j)))) / got.length;
}

describe("TomoPhantom", () => {
  it("projects a centred disc to 2·ρ·√(R² − t²) at every angle (pixel units)", () => {
    const size = 64;
    const phantom = new TomoPhantom({ size, slices: 1, ellipsoids: [disc(0.5, 0, 0, 2)] });
    const R = 0.5 * (size / 2); // 16 pixels
    const centre = (size - 1) / 2;
    const want = (j: number): number => {
      const t = j - centre;
      return t * t < R * R ? 2 * 2 * Math.sqrt(R * R - t * t) : 0;
    };
    for (const angle of [0, 17, 90, 133.5, 180]) {
      const [row] = phantom.projection(angle);
      equal(row?.length, size);
      ok(maxError(row ?? [], want) < 1e-9, `angle ${angle}`);
    }
  });

  it("moves an off-centre disc's projection by x0·cos θ + y0·sin θ", () => {
    const size = 64;
    const [x0, y0] = [0.25, -0.5];
    const phantom = new TomoPhantom({ size, slices: 1, ellipsoids: [disc(0.2, x0, y0)] });
    const R = 0.2 * 32;
    const centre = (size - 1) / 2;
    for (const angle of [0, 30, 90, 200]) {
      const theta = (angle * Math.PI) / 180;
      const t0 = (x0 * Math.cos(theta) + y0 * Math.sin(theta)) * 32;
      const want = (j: number): number => {
        const t = j - centre - t0;
        return t * t < R * R ? 2 * Math.sqrt(R * R - t * t) : 0;
      };
      ok(maxError(phantom.projection(angle)[0] ?? [], want) < 1e-9, `angle ${angle}`);
    }
  });

  it("projects along the slice's columns at 0° and its rows (bottom first) at 90°", () => {
    const phantom = new TomoPhantom({ size: 48, slices: 2 });
    for (let k = 0; k < 2; k++) {
      const slice = phantom.slice(k, 6);
      const at0 = phantom.projection(0)[k] ?? [];
      const at90 = phantom.projection(90)[k] ?? [];
      const columnSums = slice[0]?.map((_, j) => slice.reduce((s, row) => s + (row[j] ?? 0), 0));
      const rowSums = slice.map((row) => row.reduce((s, v) => s + v, 0)).reverse();
      // Exact integrals against sums of pixels: only the tangents to the skull differ much.
      ok(meanError(at0, (j) => columnSums?.[j] ?? 0) < 0.25, `slice ${k} at 0°`);
      ok(meanError(at90, (j) => rowSums[j] ?? 0) < 0.25, `slice ${k} at 90°`);
      ok(meanError(at90, (j) => [...rowSums].reverse()[j] ?? 0) > 1, "the 90° rows are flipped");
    }
  });

  it("keeps the total of each row (the mass of the slice) at every angle", () => {
    const phantom = new TomoPhantom({ size: 64, slices: 4 });
    const totals = [0, 45, 91, 150].map((a) => phantom.projection(a).map((r) => sum(r)));
    for (const t of totals.slice(1)) {
      for (let k = 0; k < 4; k++) {
        const ref = totals[0]?.[k] ?? 0;
        ok(Math.abs((t[k] ?? 0) - ref) < 0.02 * ref, `row ${k}: ${t[k]} vs ${ref}`);
      }
    }
  });

  it("slices a Shepp-Logan-like head: skull 1, brain 0.2, ventricles 0 at the centre slab", () => {
    equal(sheppLogan3d().length, 10);
    const phantom = new TomoPhantom({ size: 64, slices: 4 });
    const slice = phantom.slice(1, 1);
    const at = (x: number, y: number): number =>
      slice[Math.round(31.5 - y * 32)]?.[Math.round(x * 32 + 31.5)] ?? Number.NaN;
    ok(Math.abs(at(0, 0.89) - 1) < 1e-12, "skull");
    ok(Math.abs(at(0, -0.3) - 0.2) < 1e-12, "brain");
    ok(Math.abs(at(0.22, 0) - 0) < 1e-12, "right ventricle");
    equal(at(0.95, 0.95), 0, "outside the head");
  });

  it("rejects sizes and slice indices it cannot image, naming them", () => {
    throws(() => new TomoPhantom({ size: 1 }), /cannot take 1: expected a size/);
    throws(() => new TomoPhantom({ slices: 2.5 }), /2\.5.*number of slices/);
    throws(() => new TomoPhantom({ slices: 2 }).slice(2), /slice index in 0\.\.1/);
  });
});

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
