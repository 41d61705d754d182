import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import { filterRow, type RampFilter, rampKernel } from "../../src/tomography/ramp-filter.ts";

/** The kernel's frequency response at f cycles per pixel (the kernel is even). */
function response(kernel: Float64Array, f: number): number {
  const mid = (kernel.length - 1) / 2;
  let sum = 0;
  for (let i = 0; i < kernel.length; i++)
    sum += (kernel[i] ?? 0) * Math.cos(2 * Math.PI * f * (i - mid));
  return sum;
}

describe("rampKernel", () => {
  it("is Ram-Lak's h(0) = 1/4, h(odd n) = −1/(πn)², h(even n) = 0", () => {
    const k = rampKernel(4);
    const pi2 = Math.PI * Math.PI;
    const want = [-1 / (9 * pi2), 0, -1 / pi2, 0.25, -1 / pi2, 0, -1 / (9 * pi2)];
    deepStrictEqual(Array.from(k), want);
  });

  it("responds as the ramp |f| (Ram-Lak) and |f|·sinc f (Shepp-Logan) up to Nyquist", () => {
    const cases: Array<[RampFilter, (f: number) => number]> = [
      ["ram-lak", (f) => Math.abs(f)],
      ["shepp-logan", (f) => Math.abs(Math.sin(Math.PI * f)) / Math.PI],
    ];
    for (const [filter, want] of cases) {
      const kernel = rampKernel(1024, filter);
      for (const f of [0.05, 0.1, 0.25, 0.4, 0.5]) {
        const got = response(kernel, f);
        ok(Math.abs(got - want(f)) < 2e-3, `${filter} at f=${f}: ${got} vs ${want(f)}`);
      }
      ok(Math.abs(response(kernel, 0)) < 1e-3, `${filter} removes the mean`);
    }
  });

  it("rejects widths and filters it does not know, naming them", () => {
    throws(() => rampKernel(0), /width 0 is not an integer >= 1/);
    throws(() => rampKernel(8, "hann" as RampFilter), /unknown filter "hann"/);
  });
});

describe("filterRow", () => {
  it("turns a centred impulse into the kernel and is linear", () => {
    const width = 9;
    const kernel = rampKernel(width, "shepp-logan");
    const impulse = new Array<number>(width).fill(0);
    impulse[4] = 1;
    deepStrictEqual(Array.from(filterRow(impulse, kernel)), Array.from(kernel.subarray(4, 13)));
    const a = [1, 2, 0, -1, 3, 0, 0, 5, 1];
    const b = [0, 1, 1, 1, 0, 2, 0, 0, -2];
    const fa = filterRow(a, kernel);
    const fb = filterRow(b, kernel);
    const fab = filterRow(
      a.map((v, i) => 2 * v + (b[i] ?? 0)),
      kernel,
    );
    for (let i = 0; i < width; i++) {
      ok(Math.abs((fab[i] ?? 0) - 2 * (fa[i] ?? 0) - (fb[i] ?? 0)) < 1e-12);
    }
  });

  it("refuses a kernel made for another width", () => {
    throws(() => filterRow([1, 2, 3], rampKernel(4)), /3 pixels needs a kernel of 5/);
  });
});
