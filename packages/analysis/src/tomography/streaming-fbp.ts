import { AnalysisInputError } from "../errors.ts";
import { filterRow, type RampFilter, rampKernel } from "./ramp-filter.ts";

/** Options of a StreamingFbp. */
export interface StreamingFbpOptions {
  /** Detector pixels per row; also the width and height of each reconstructed slice. */
  width: number;
  /** Detector rows, one reconstructed slice each (default 1). */
  slices?: number;
  /** Ramp filter window (default "ram-lak"). */
  filter?: RampFilter;
  /** Detector pixel the rotation axis projects to (default (width − 1) / 2). */
  center?: number;
}

/** A projection as StreamingFbp takes it: `slices` rows of `width` line integrals. */
export type Projection = ArrayLike<ArrayLike<number>>;

/**
 * Parallel-beam filtered back-projection fed one projection at a time: each row is
 * ramp-filtered and back-projected into its slice at once, so the reconstruction is there after
 * every projection, scaled by π / (projections so far), which is exact for projections spread
 * evenly over 180°. Geometry (as @cerulean/devices's TomoPhantom): pixel (row r, column j) is at
 * x = j − c, y = c − r with c = (width − 1)/2; the projection at θ degrees holds the line
 * integrals (pixel units) along x cos θ + y sin θ = u − center, u the detector pixel.
 * @example
 * const fbp = new StreamingFbp({ width: 64, slices: 4 });
 * for (const [angle, image] of projections) fbp.addProjection(angle, image);
 * const slice = fbp.slice(2); // 64 × 64, row-major
 */
export class StreamingFbp {
  readonly width: number;
  readonly slices: number;
  readonly filter: RampFilter;
  readonly center: number;
  readonly #kernel: Float64Array;
  /** Unscaled sums of the filtered back-projections, one width² plane per slice. */
  readonly #sums: Float64Array[];
  readonly #filtered: Float64Array[];
  #count = 0;
  #lastAngle: number | undefined;

  constructor(options: StreamingFbpOptions) {
    const { width, slices = 1, filter = "ram-lak" } = options;
    if (!Number.isInteger(width) || width < 2) {
      throw new AnalysisInputError(`StreamingFbp: width ${width} is not an integer >= 2`);
    }
    if (!Number.isInteger(slices) || slices < 1) {
      throw new AnalysisInputError(`StreamingFbp: slices ${slices} is not an integer >= 1`);
    }
    const center = options.center ?? (width - 1) / 2;
    if (!Number.isFinite(center)) {
      throw new AnalysisInputError(`StreamingFbp: center ${center} is not a finite pixel position`);
    }
    this.width = width;
    this.slices = slices;
    this.filter = filter;
    this.center = center;
    this.#kernel = rampKernel(width, filter);
    this.#sums = Array.from({ length: slices }, () => new Float64Array(width * width));
    this.#filtered = Array.from({ length: slices }, () => new Float64Array(width));
  }

  /** Projections added so far. */
  get projections(): number {
    return this.#count;
  }

  /** The angle of the last projection added, degrees (undefined before the first). */
  get lastAngle(): number | undefined {
    return this.#lastAngle;
  }

  /** Filters `image` (rows × width) taken at `angle` degrees and adds it to the volume. */
  addProjection(angle: number, image: Projection): void {
    this.#check(angle, image);
    for (let k = 0; k < this.slices; k++) {
      filterRow(image[k] as ArrayLike<number>, this.#kernel, this.#filtered[k]);
    }
    this.#backProject((angle * Math.PI) / 180);
    this.#count++;
    this.#lastAngle = angle;
  }

  /** Slice `k` of the current reconstruction, width × width, row-major (zeros before any data). */
  slice(k: number): Float64Array {
    const sums = this.#sums[k];
    if (!sums || !Number.isInteger(k)) {
      throw new AnalysisInputError(
        `StreamingFbp: slice ${k} does not exist; expected an index in 0..${this.slices - 1}`,
      );
    }
    const scale = this.#count === 0 ? 0 : Math.PI / this.#count;
    return sums.map((v) => v * scale);
  }

  /** Slice `k` as rows of numbers, as documents carry a 2-D array. */
  sliceRows(k: number): number[][] {
    const flat = this.slice(k);
    return Array.from({ length: this.width }, (_, r) =>
      Array.from(flat.subarray(r * this.width, (r + 1) * this.width)),
    );
  }

  /** Every slice of the current reconstruction. */
  volume(): Float64Array[] {
    return this.#sums.map((_, k) => this.slice(k));
  }

  /** Forgets every projection. */
  reset(): void {
    for (const sums of this.#sums) sums.fill(0);
    this.#count = 0;
    this.#lastAngle = undefined;
  }

  #backProject(theta: number): void {
    const { width, slices, center } = this;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const c = (width - 1) / 2;
    const filtered = this.#filtered;
    const sums = this.#sums;
    for (let r = 0; r < width; r++) {
      // u along the row: u(j) = (j − c) cos θ + (c − r) sin θ + center.
      const u0 = -c * cos + (c - r) * sin + center;
      const rowStart = r * width;
      for (let j = 0; j < width; j++) {
        const u = u0 + j * cos;
        const i0 = Math.floor(u);
        // Rays beyond the detector carry nothing (the filtered row is zero-extended).
        if (i0 < -1 || i0 >= width) continue;
        const w = u - i0;
        const p = rowStart + j;
        for (let k = 0; k < slices; k++) {
          const q = filtered[k] as Float64Array;
          const left = i0 >= 0 ? (q[i0] ?? 0) : 0;
          const right = i0 + 1 < width ? (q[i0 + 1] ?? 0) : 0;
          const plane = sums[k] as Float64Array;
          plane[p] = (plane[p] ?? 0) + left + w * (right - left);
        }
      }
    }
  }

  #check(angle: number, image: Projection): void {
    if (typeof angle !== "number" || !Number.isFinite(angle)) {
      throw new AnalysisInputError(
        `StreamingFbp: angle ${angle} is not a finite number of degrees`,
      );
    }
    if (image?.length !== this.slices) {
      throw new AnalysisInputError(
        `StreamingFbp: a projection of ${image?.length} rows at ${angle}°; expected ${this.slices} rows of ${this.width} pixels`,
      );
    }
    for (let k = 0; k < this.slices; k++) {
      const row = image[k];
      if (row?.length !== this.width) {
        throw new AnalysisInputError(
          `StreamingFbp: row ${k} of the projection at ${angle}° has ${row?.length} pixels; expected ${this.width}`,
        );
      }
      for (let j = 0; j < this.width; j++) {
        const v = row[j];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new AnalysisInputError(
            `StreamingFbp: pixel ${j} of row ${k} at ${angle}° is ${v}; expected a finite number`,
          );
        }
      }
    }
  }
}
