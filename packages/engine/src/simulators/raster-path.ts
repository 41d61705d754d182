// The path of a 2-D scan: where the two motors are at each event (Bluesky's plot_raster_path
// draws it with matplotlib; here it is returned as points and as an SVG drawing).
import { objectName } from "../msg.ts";
import type { PlanLike } from "../plan.ts";
import { type SimulateOptions, simulate } from "./simulate.ts";

/** Options of plot_raster_path. */
export interface RasterPathOptions extends SimulateOptions {
  /** Size of the drawing, pixels (default 400 × 400). */
  width?: number;
  height?: number;
  /** Radius of the probe at each point, in motor units (default: small fixed dots). */
  probe_size?: number;
}

/** The points of a 2-D scan, in event order, and an SVG drawing of the path. */
export interface RasterPath {
  x: number[];
  y: number[];
  svg: string;
}

function matches(device: unknown, motor: unknown): boolean {
  return device === motor || (typeof motor === "string" && objectName(device) === motor);
}

/**
 * Simulates `plan` and returns where `x_motor` and `y_motor` (devices or names) are at each
 * event, with an SVG of the path: lines in order, a dot per event.
 */
export function plot_raster_path(
  plan: PlanLike,
  x_motor: unknown,
  y_motor: unknown,
  options: RasterPathOptions = {},
): RasterPath {
  const { width = 400, height = 400, probe_size, ...simulateOptions } = options;
  let x = Number.NaN;
  let y = Number.NaN;
  const xs: number[] = [];
  const ys: number[] = [];
  simulate(plan, simulateOptions, (m) => {
    if (m.command === "set" && typeof m.args[0] === "number") {
      if (matches(m.obj, x_motor)) x = m.args[0];
      if (matches(m.obj, y_motor)) y = m.args[0];
    } else if (m.command === "save") {
      xs.push(x);
      ys.push(y);
    }
  });
  return { x: xs, y: ys, svg: drawPath(xs, ys, { width, height, probe_size }, [x_motor, y_motor]) };
}

function drawPath(
  xs: number[],
  ys: number[],
  size: { width: number; height: number; probe_size: number | undefined },
  motors: [unknown, unknown],
): string {
  const margin = 40;
  const finite = (v: number[]) => v.filter(Number.isFinite);
  const [x0, x1] = extent(finite(xs));
  const [y0, y1] = extent(finite(ys));
  const scale = Math.min(
    (size.width - 2 * margin) / (x1 - x0 || 1),
    (size.height - 2 * margin) / (y1 - y0 || 1),
  );
  const px = (v: number) => (margin + (v - x0) * scale).toFixed(2);
  const py = (v: number) => (size.height - margin - (v - y0) * scale).toFixed(2);
  const points = xs.map((v, i) => `${px(v)},${py(ys[i] ?? Number.NaN)}`);
  const r = size.probe_size === undefined ? 3 : Math.max(size.probe_size * scale, 0.5);
  const dots = xs
    .map((v, i) => `<circle cx="${px(v)}" cy="${py(ys[i] ?? Number.NaN)}" r="${r.toFixed(2)}"/>`)
    .join("");
  const label = (m: unknown) => (typeof m === "string" ? m : objectName(m)).replace(/[<&>"]/g, "");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">`,
    `<polyline fill="none" stroke="steelblue" stroke-width="2" points="${points.join(" ")}"/>`,
    `<g fill="black" fill-opacity="0.5">${dots}</g>`,
    `<text x="${size.width / 2}" y="${size.height - 8}" text-anchor="middle">${label(motors[0])}</text>`,
    `<text x="12" y="${size.height / 2}" transform="rotate(-90 12 ${size.height / 2})" text-anchor="middle">${label(motors[1])}</text>`,
    "</svg>",
  ].join("");
}

function extent(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  return values.reduce<[number, number]>(
    ([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  );
}
