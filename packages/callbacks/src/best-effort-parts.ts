// Pieces of BestEffortCallback that need no state: the 2-D plot choice, peak annotations and the
// baseline table.
import type { PeakStatsResult } from "@cerulean/analysis";
import type { Event, EventDescriptor, RunStart } from "@cerulean/event-model";
import { alignLeft, alignRight, pythonStr } from "./format/python-format.ts";
import { LiveGrid } from "./live-grid.ts";
import { LiveScatter } from "./live-scatter.ts";
import type { Annotation } from "./plot/plot-model.ts";
import type { PlotCallback } from "./plot-callback.ts";

function isPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number");
}

function isPairOfPairs(value: unknown): value is [[number, number], [number, number]] {
  return Array.isArray(value) && value.length === 2 && value.every(isPair);
}

/**
 * The plot of detector `y` over two dimensions [slow, fast]: a LiveGrid when the start document
 * hints `gridding: "rectilinear"` and gives `shape` and `extents` (cells centred on the points),
 * else a LiveScatter.
 */
export function planePlot(start: RunStart, dims: readonly string[], y: string): PlotCallback {
  const [slow = "", fast = ""] = dims;
  const extents = start["extents"];
  const shape = start["shape"];
  const gridded =
    (start.hints as Record<string, unknown> | undefined)?.["gridding"] === "rectilinear";
  if (gridded && isPairOfPairs(extents) && isPair(shape)) {
    const [rows, cols] = shape;
    const [[s0, s1], [f0, f1]] = extents;
    const yStep = (s1 - s0) / Math.max(1, rows - 1);
    const xStep = (f1 - f0) / Math.max(1, cols - 1);
    return new LiveGrid([rows, cols], y, {
      xlabel: fast,
      ylabel: slow,
      extent: [f0 - xStep / 2, f1 + xStep / 2, s0 - yStep / 2, s1 + yStep / 2],
    });
  }
  if (gridded)
    process.emitWarning("LiveGrid needs both 'shape' and 'extents' in the start document");
  const limits = isPairOfPairs(extents) ? { xlim: extents[0], ylim: extents[1] } : {};
  return new LiveScatter(slow, fast, y, limits);
}

/** Centre, centre of mass and fwhm drawn over a 1-D plot at the end of a run. */
export function peakAnnotations(stats: PeakStatsResult): Annotation[] {
  const out: Annotation[] = [];
  if (stats.cen !== null)
    out.push({ kind: "vline", value: stats.cen, label: `cen=${stats.cen.toFixed(3)}` });
  if (stats.com !== null) {
    out.push({
      kind: "vline",
      value: stats.com,
      label: `com=${stats.com.toFixed(3)}`,
      color: "#d62728",
    });
  }
  const crossings = stats.crossings;
  if (stats.fwhm !== null && crossings && crossings.length >= 2) {
    out.push({
      kind: "span",
      from: crossings[0] ?? 0,
      to: crossings[crossings.length - 1] ?? 0,
      at: (stats.max[1] + stats.min[1]) / 2,
      label: `fwhm=${stats.fwhm.toFixed(3)}`,
      color: "#2ca02c",
    });
  }
  return out;
}

/** Bluesky's baseline table: "| key (right, 30) | value (left, 30) |" between +---+ borders. */
export function baselineTable(
  subject: string,
  columns: readonly string[],
  descriptor: EventDescriptor,
  doc: Event,
): string[] {
  const border = `+${"-".repeat(32)}+${"-".repeat(32)}+`;
  const lines = [`${subject} baseline readings:`, border];
  for (const [key, value] of Object.entries(doc.data)) {
    if (!columns.includes(key)) continue;
    const integer = descriptor.data_keys[key]?.dtype === "integer";
    // Python formats a bool with a width spec as an int (1 / 0).
    const text = typeof value === "boolean" ? (value ? "1" : "0") : pythonStr(value, integer);
    lines.push(`| ${alignRight(key, 30)} | ${alignLeft(text, 30)} |`);
  }
  lines.push(border);
  return lines;
}
