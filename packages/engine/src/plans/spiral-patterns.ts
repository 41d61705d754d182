// The spiral trajectories of Bluesky's plan_patterns: rings of points (spiral), a Fermat
// (sunflower) spiral, and a square spiral over a grid. Each returns x and y zipped.
import { type Cycler, cycler } from "./cycler.ts";

/** Shape of a round spiral: rings `dr` apart (`dr_y` along y), tilted by `tilt` radians. */
export interface SpiralShape {
  x_start: number;
  y_start: number;
  x_range: number;
  y_range: number;
  dr: number;
  dr_y?: number | null;
  tilt?: number;
}

/** Inside the box of half-widths halfX/halfY, tilted by atan of 1/tiltTan. */
function inBox(
  x: number,
  yUnscaled: number,
  yBounded: number,
  tiltTan: number,
  halfX: number,
  halfY: number,
): boolean {
  return Math.abs(x - yUnscaled / tiltTan) <= halfX && Math.abs(yBounded) <= halfY;
}

function zipped(xMotor: unknown, yMotor: unknown, xs: number[], ys: number[]): Cycler {
  return cycler(xMotor, xs).add(cycler(yMotor, ys));
}

/** Rings i·dr (i from 1), `i·nth` points on ring i, kept inside the (tilted) x/y box. */
export function spiral(
  xMotor: unknown,
  yMotor: unknown,
  shape: SpiralShape & { nth: number },
): Cycler {
  const { x_start, y_start, x_range, y_range, dr, nth, tilt = 0 } = shape;
  const aspect = shape.dr_y === undefined || shape.dr_y === null ? 1 : shape.dr_y / dr;
  const halfX = x_range / 2;
  const halfY = y_range / (2 * aspect);
  const rMax = Math.hypot(halfX, halfY);
  const numRing = 1 + Math.trunc(rMax / dr);
  const tiltTan = Math.tan(tilt + Math.PI / 2);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let ring = 1; ring <= numRing + 1; ring++) {
    const radius = ring * dr;
    const angleStep = (2 * Math.PI) / (ring * nth);
    const count = Math.trunc(ring * nth);
    for (let k = 0; k < count; k++) {
      const angle = k * angleStep;
      const x = radius * Math.cos(angle);
      const y = radius * Math.sin(angle) * aspect;
      if (inBox(x, y / aspect, y / aspect, tiltTan, halfX, halfY)) {
        xs.push(x_start + x);
        ys.push(y_start + y);
      }
    }
  }
  return zipped(xMotor, yMotor, xs, ys);
}

/** Point i at radius √i·dr/factor and angle i·137.508°, kept inside the (tilted) box. */
export function spiral_fermat(
  xMotor: unknown,
  yMotor: unknown,
  shape: SpiralShape & { factor: number },
): Cycler {
  const { x_start, y_start, x_range, y_range, dr, factor, tilt = 0 } = shape;
  const aspect = shape.dr_y === undefined || shape.dr_y === null ? 1 : shape.dr_y / dr;
  const phi = (137.508 * Math.PI) / 180;
  const halfX = x_range / 2;
  const halfY = y_range / (2 * aspect);
  const tiltTan = Math.tan(tilt + Math.PI / 2);
  const diag = Math.hypot(halfX, halfY);
  const numRings = Math.trunc(((1.5 * diag) / (dr / factor)) ** 2);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 1; i < numRings; i++) {
    const radius = (Math.sqrt(i) * dr) / factor;
    const angle = phi * i;
    const x = radius * Math.cos(angle);
    const y = radius * Math.sin(angle) * aspect;
    // Bluesky bounds y itself here (not y / aspect as in `spiral`); kept for identical points.
    if (inBox(x, y / aspect, y, tiltTan, halfX, halfY)) {
      xs.push(x_start + x);
      ys.push(y_start + y);
    }
  }
  return zipped(xMotor, yMotor, xs, ys);
}

/** Shape of a square spiral: an x_num × y_num grid over the ranges, walked from the centre. */
export interface SquareSpiralShape {
  x_center: number;
  y_center: number;
  x_range: number;
  y_range: number;
  x_num: number;
  y_num: number;
}

/** Every point of the grid, spiralling outwards ring by ring from the centre. */
export function spiral_square_pattern(
  xMotor: unknown,
  yMotor: unknown,
  shape: SquareSpiralShape,
): Cycler {
  const { x_center, y_center, x_range, y_range, x_num, y_num } = shape;
  // Even counts have no centre point: start half a step off it.
  const xOffset = x_num % 2 === 0 ? 0.5 : 0;
  const yOffset = y_num % 2 === 0 ? -0.5 : 0;
  const xDelta = x_range / (x_num - 1);
  const yDelta = y_range / (y_num - 1);
  const x0 = x_center - xDelta * xOffset;
  const y0 = y_center - yDelta * yOffset;
  const total = x_num * y_num;
  const xs = [x0];
  const ys = [y0];
  const add = (i: number, j: number): void => {
    xs.push(x0 + xDelta * i);
    ys.push(y0 + yDelta * j);
  };
  const down = (ring: number): number[] => range(ring - 2, -ring, -1);
  const up = (ring: number): number[] => range(-ring + 2, ring, 1);
  const numRing = Math.max(x_num, y_num);
  for (let ring = 2; ring <= numRing; ring++) {
    // Right side, top to bottom.
    if (Math.abs(ring - 1 - xOffset) <= x_num / 2 && xs.length < total) {
      for (const n of down(ring)) {
        if (Math.abs(n - yOffset) < y_num / 2 && xs.length < total) add(ring - 1, n);
      }
    }
    // Bottom side, right to left.
    if (Math.abs(-ring + 1 - yOffset) < y_num / 2 && xs.length < total) {
      for (const n of down(ring)) {
        if (Math.abs(n - xOffset) < x_num / 2 && xs.length < total) add(n, -ring + 1);
      }
    }
    // Left side, bottom to top.
    if (Math.abs(-ring + 1 - xOffset) < x_num / 2 && xs.length < total) {
      for (const n of up(ring)) {
        if (Math.abs(n - yOffset) < y_num / 2 && xs.length < total) add(-ring + 1, n);
      }
    }
    // Top side, left to right.
    if (Math.abs(ring - 1 - yOffset) < y_num / 2 && xs.length < total) {
      for (const n of up(ring)) {
        if (Math.abs(n - xOffset) < x_num / 2 && xs.length < total) add(n, ring - 1);
      }
    }
  }
  return zipped(xMotor, yMotor, xs, ys);
}

/** Python's range(start, stop, step). */
function range(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  for (let v = start; step > 0 ? v < stop : v > stop; v += step) out.push(v);
  return out;
}
