// A 3-D phantom of ellipsoids and its exact parallel-beam projections, for the tomography sim.
import { InvalidValueError } from "../core/errors.ts";

/**
 * An ellipsoid of the phantom, in phantom units (the field of view is the unit disc in x, y).
 * Its x/y axes are turned by `phi` degrees about the rotation (z) axis; `density` adds to
 * whatever the ellipsoids under it hold.
 */
export interface Ellipsoid {
  density: number;
  /** Semi-axes along x, y (before the turn by phi) and z. */
  a: number;
  b: number;
  c: number;
  /** Centre. */
  x0: number;
  y0: number;
  z0: number;
  /** Turn of the x/y axes about z, degrees. */
  phi: number;
}

/** Options of a TomoPhantom; all optional. */
export interface TomoPhantomOptions {
  /** Detector pixels across the field of view, and the reconstructed slice width (default 64). */
  size?: number;
  /** Detector rows, one per slice (default 4). */
  slices?: number;
  /** The rows image z in [-zExtent, zExtent], phantom units (default 0.25). */
  zExtent?: number;
  /** The ellipsoids (default sheppLogan3d()). */
  ellipsoids?: readonly Ellipsoid[];
}

const e = (
  density: number,
  [a, b, c]: [number, number, number],
  [x0, y0, z0]: [number, number, number],
  phi = 0,
): Ellipsoid => ({ density, a, b, c, x0, y0, z0, phi });

/**
 * A 3-D head phantom: the ten ellipses of the modified (high-contrast) Shepp-Logan phantom,
 * given heights along z of our choosing so that the central slab shows all of them.
 */
export function sheppLogan3d(): Ellipsoid[] {
  return [
    e(1, [0.69, 0.92, 0.9], [0, 0, 0]),
    e(-0.8, [0.6624, 0.874, 0.88], [0, -0.0184, 0]),
    e(-0.2, [0.11, 0.31, 0.22], [0.22, 0, 0], -18),
    e(-0.2, [0.16, 0.41, 0.28], [-0.22, 0, 0], 18),
    e(0.1, [0.21, 0.25, 0.41], [0, 0.35, -0.15]),
    e(0.1, [0.046, 0.046, 0.15], [0, 0.1, 0.05]),
    e(0.1, [0.046, 0.046, 0.15], [0, -0.1, -0.05]),
    e(0.1, [0.046, 0.023, 0.12], [-0.08, -0.605, 0]),
    e(0.1, [0.023, 0.023, 0.12], [0, -0.606, 0]),
    e(0.1, [0.023, 0.046, 0.12], [0.06, -0.605, 0]),
  ];
}

/** One ellipse of a slice: an ellipsoid cut at some z. */
interface Ellipse {
  density: number;
  a: number;
  b: number;
  x0: number;
  y0: number;
  cos: number;
  sin: number;
}

/**
 * A phantom of ellipsoids imaged by `size` detector pixels and `slices` detector rows. Geometry
 * (shared with @cerulean/analysis's StreamingFbp): pixel (row r, column j) of a slice is at
 * x = j − (size − 1)/2, y = (size − 1)/2 − r in pixels; the projection at angle θ (degrees) is
 * the line integral, in pixel units, along the rays x cos θ + y sin θ = t, detector pixel
 * u = t + (size − 1)/2. Detector row k images slice k.
 */
export class TomoPhantom {
  readonly size: number;
  readonly slices: number;
  readonly zExtent: number;
  readonly ellipsoids: readonly Ellipsoid[];
  readonly #cuts: Ellipse[][];

  constructor(options: TomoPhantomOptions = {}) {
    const { size = 64, slices = 4, zExtent = 0.25 } = options;
    if (!Number.isInteger(size) || size < 2) {
      throw new InvalidValueError("TomoPhantom", size, "a size (pixels) that is an integer >= 2");
    }
    if (!Number.isInteger(slices) || slices < 1) {
      throw new InvalidValueError(
        "TomoPhantom",
        slices,
        "a number of slices that is an integer >= 1",
      );
    }
    if (!(zExtent >= 0)) {
      throw new InvalidValueError("TomoPhantom", zExtent, "a zExtent >= 0");
    }
    this.size = size;
    this.slices = slices;
    this.zExtent = zExtent;
    this.ellipsoids = options.ellipsoids ?? sheppLogan3d();
    this.#cuts = Array.from({ length: slices }, (_, k) => this.#cut(this.sliceZ(k)));
  }

  /** The z (phantom units) that detector row / slice `k` images. */
  sliceZ(k: number): number {
    return this.zExtent * (1 - (2 * k + 1) / this.slices);
  }

  /** The projection at `angle` degrees: `slices` rows of `size` line integrals (pixel units). */
  projection(angle: number): number[][] {
    const theta = (angle * Math.PI) / 180;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const half = this.size / 2;
    const centre = (this.size - 1) / 2;
    return this.#cuts.map((ellipses) => {
      const row = new Array<number>(this.size).fill(0);
      for (const el of ellipses) {
        // In the ellipse's own axes the ray direction turns by −phi.
        const cosRel = cos * el.cos + sin * el.sin;
        const sinRel = sin * el.cos - cos * el.sin;
        const s2 = el.a * el.a * cosRel * cosRel + el.b * el.b * sinRel * sinRel;
        const t0 = el.x0 * cos + el.y0 * sin;
        const scale = ((2 * el.density * el.a * el.b) / s2) * half;
        for (let j = 0; j < this.size; j++) {
          const d = (j - centre) / half - t0;
          const inside = s2 - d * d;
          if (inside > 0) row[j] = (row[j] ?? 0) + scale * Math.sqrt(inside);
        }
      }
      return row;
    });
  }

  /**
   * The true slice `k` (`size` × `size` densities), each pixel the mean of `supersample`²
   * points inside it (default 4: edges get partial values, as the detector integrates).
   */
  slice(k: number, supersample = 4): number[][] {
    const ellipses = this.#cuts[k];
    if (!ellipses) {
      throw new InvalidValueError("TomoPhantom", k, `a slice index in 0..${this.slices - 1}`);
    }
    const half = this.size / 2;
    const centre = (this.size - 1) / 2;
    const n = Math.max(1, Math.floor(supersample));
    const offsets = Array.from({ length: n }, (_, i) => (i + 0.5) / n - 0.5);
    const image: number[][] = [];
    for (let r = 0; r < this.size; r++) {
      const row = new Array<number>(this.size).fill(0);
      for (let j = 0; j < this.size; j++) {
        let sum = 0;
        for (const dy of offsets) {
          for (const dx of offsets) {
            sum += densityAt(ellipses, (j + dx - centre) / half, (centre - r - dy) / half);
          }
        }
        row[j] = sum / (n * n);
      }
      image.push(row);
    }
    return image;
  }

  #cut(z: number): Ellipse[] {
    const cuts: Ellipse[] = [];
    for (const el of this.ellipsoids) {
      const dz = (z - el.z0) / el.c;
      const shrink = 1 - dz * dz;
      if (!(shrink > 0)) continue;
      const k = Math.sqrt(shrink);
      const phi = (el.phi * Math.PI) / 180;
      cuts.push({
        density: el.density,
        a: el.a * k,
        b: el.b * k,
        x0: el.x0,
        y0: el.y0,
        cos: Math.cos(phi),
        sin: Math.sin(phi),
      });
    }
    return cuts;
  }
}

function densityAt(ellipses: readonly Ellipse[], x: number, y: number): number {
  let density = 0;
  for (const el of ellipses) {
    const dx = x - el.x0;
    const dy = y - el.y0;
    const u = (dx * el.cos + dy * el.sin) / el.a;
    const v = (-dx * el.sin + dy * el.cos) / el.b;
    if (u * u + v * v <= 1) density += el.density;
  }
  return density;
}
