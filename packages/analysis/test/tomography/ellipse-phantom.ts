// A test phantom independent of @cerulean/devices: a few 2-D ellipses, with exact parallel-beam
// projections and a sampled true slice, in StreamingFbp's geometry (pixel units).

export interface TestEllipse {
  density: number;
  /** Semi-axes and centre, as fractions of the half-width; phi in degrees. */
  a: number;
  b: number;
  x0: number;
  y0: number;
  phi: number;
}

/** A head-like test object: a shell, a brain, two tilted cavities and a bright spot. */
export const TEST_ELLIPSES: readonly TestEllipse[] = [
  { density: 1, a: 0.7, b: 0.9, x0: 0, y0: 0, phi: 0 },
  { density: -0.7, a: 0.64, b: 0.84, x0: 0, y0: -0.02, phi: 0 },
  { density: -0.2, a: 0.12, b: 0.3, x0: 0.25, y0: 0.05, phi: -20 },
  { density: -0.15, a: 0.15, b: 0.35, x0: -0.25, y0: 0, phi: 15 },
  { density: 0.4, a: 0.1, b: 0.1, x0: 0.1, y0: 0.5, phi: 0 },
];

/** One row of line integrals at `angle` degrees over `width` pixels. */
export function projectEllipses(
  ellipses: readonly TestEllipse[],
  width: number,
  angle: number,
): number[] {
  const half = width / 2;
  const c = (width - 1) / 2;
  const th = (angle * Math.PI) / 180;
  const row = new Array<number>(width).fill(0);
  for (const e of ellipses) {
    const ph = (e.phi * Math.PI) / 180;
    const [a, b] = [e.a * half, e.b * half];
    const rel = th - ph;
    const s2 = a * a * Math.cos(rel) ** 2 + b * b * Math.sin(rel) ** 2;
    const t0 = (e.x0 * Math.cos(th) + e.y0 * Math.sin(th)) * half;
    for (let j = 0; j < width; j++) {
      const d = j - c - t0;
      if (d * d < s2)
        row[j] = (row[j] ?? 0) + ((2 * e.density * a * b) / s2) * Math.sqrt(s2 - d * d);
    }
  }
  return row;
}

/** The true width × width image, each pixel the mean of 4 × 4 samples. */
export function rasterizeEllipses(ellipses: readonly TestEllipse[], width: number): number[][] {
  const half = width / 2;
  const c = (width - 1) / 2;
  const offsets = [-0.375, -0.125, 0.125, 0.375];
  return Array.from({ length: width }, (_, r) =>
    Array.from({ length: width }, (_, j) => {
      let sum = 0;
      for (const dy of offsets) {
        for (const dx of offsets) {
          const x = (j + dx - c) / half;
          const y = (c - r - dy) / half;
          for (const e of ellipses) {
            const ph = (e.phi * Math.PI) / 180;
            const u = ((x - e.x0) * Math.cos(ph) + (y - e.y0) * Math.sin(ph)) / e.a;
            const v = (-(x - e.x0) * Math.sin(ph) + (y - e.y0) * Math.cos(ph)) / e.b;
            if (u * u + v * v <= 1) sum += e.density;
          }
        }
      }
      return sum / 16;
    }),
  );
}
