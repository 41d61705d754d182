import type { PlotModel, ScatterSeries } from "./plot-model.ts";
import { finiteExtent, padRange } from "./ticks.ts";

/** Size and colour of a terminal plot. */
export interface TerminalOptions {
  /** Characters across the plotting area (default 60). */
  width?: number;
  /** Lines of the plotting area (default 12). */
  height?: number;
  /** Colour each series with ANSI escapes (default false, for logs and tests). */
  color?: boolean;
}

const ANSI = [34, 33, 32, 31, 35, 36];
/** Bit of the braille dot at (column 0-1, row 0-3) of a character cell. */
const DOT_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];
const SHADES = " .:-=+*#%@";

/**
 * Draws a plot with braille characters (2 x 4 dots per character) for terminals: line and
 * scatter series, axis limits and a legend; an image layer becomes shaded characters.
 */
export function renderTerminal(plot: PlotModel, options: TerminalOptions = {}): string {
  const cols = options.width ?? 60;
  const rows = options.height ?? 12;
  const dotsX = cols * 2;
  const dotsY = rows * 4;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of plot.series) {
    xs.push(...s.x);
    ys.push(...s.y);
  }
  const image = plot.image;
  const extent = image?.extent ?? (image ? [0, image.width, 0, image.height] : undefined);
  if (extent) {
    xs.push(extent[0], extent[1]);
    ys.push(extent[2], extent[3]);
  }
  const [xLo, xHi] = plot.x.range ?? padRange(finiteExtent(xs) ?? [0, 1], 0);
  const [yLo, yHi] = plot.y.range ?? padRange(finiteExtent(ys) ?? [0, 1], 0);
  const cells = new Array<number>(cols * rows).fill(0);
  const owner = new Array<number>(cols * rows).fill(-1);
  const shade = new Array<string>(cols * rows).fill("");
  // Rows run from yTop down to yBottom; an inverted axis puts its low end at the top.
  const [yTop, yBottom] = plot.y.inverted ? [yLo, yHi] : [yHi, yLo];
  const toDot = (x: number, y: number): [number, number] => [
    Math.round(((x - xLo) / (xHi - xLo || 1)) * (dotsX - 1)),
    Math.round(((yTop - y) / (yTop - yBottom || 1)) * (dotsY - 1)),
  ];
  const plotDot = (dx: number, dy: number, series: number) => {
    if (dx < 0 || dy < 0 || dx >= dotsX || dy >= dotsY) return;
    const cell = Math.floor(dy / 4) * cols + Math.floor(dx / 2);
    cells[cell] = (cells[cell] ?? 0) | (DOT_BITS[dx % 2]?.[dy % 4] ?? 0);
    owner[cell] = series;
  };
  if (image && extent) shadeImage(image, extent, { cols, rows, xLo, xHi, yTop, yBottom, shade });
  plot.series.forEach((s, index) => {
    if (s.kind === "scatter") {
      shadeScatter(s, toDot, { cols, shade });
      return;
    }
    let previous: [number, number] | undefined;
    for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
      const x = s.x[i] ?? Number.NaN;
      const y = s.y[i] ?? Number.NaN;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        previous = undefined;
        continue;
      }
      const dot = toDot(x, y);
      const joined = s.kind === "line" && s.line !== "none";
      if (previous && joined) drawLine(previous, dot, (dx, dy) => plotDot(dx, dy, index));
      else plotDot(dot[0], dot[1], index);
      previous = dot;
    }
  });
  const yLabels = [formatEdge(yTop), formatEdge(yBottom)];
  const labelWidth = Math.max(...yLabels.map((l) => l.length));
  const lines: string[] = [];
  if (plot.title) lines.push(plot.title);
  for (let row = 0; row < rows; row++) {
    let body = "";
    for (let col = 0; col < cols; col++) {
      const cell = row * cols + col;
      const bits = cells[cell] ?? 0;
      const character = bits ? String.fromCharCode(0x2800 + bits) : shade[cell] || " ";
      const series = owner[cell] ?? -1;
      body +=
        options.color && bits && series >= 0
          ? `\u001b[${ANSI[series % ANSI.length]}m${character}\u001b[0m`
          : character;
    }
    const label = row === 0 ? yLabels[0] : row === rows - 1 ? yLabels[1] : "";
    lines.push(`${(label ?? "").padStart(labelWidth)} ┤${body}`);
  }
  lines.push(`${" ".repeat(labelWidth)} └${"─".repeat(cols)}`);
  const xLeft = formatEdge(xLo);
  const xRight = formatEdge(xHi);
  lines.push(`${" ".repeat(labelWidth + 2)}${xLeft}${xRight.padStart(cols - xLeft.length)}`);
  lines.push(`${" ".repeat(labelWidth + 2)}${centre(plot.x.label, cols)}`);
  const legend = plot.series.filter((s) => s.label).map((s) => `${s.label}`);
  if (legend.length > 1 || (legend.length === 1 && plot.y.label !== legend[0])) {
    lines.push(`${" ".repeat(labelWidth + 2)}y: ${plot.y.label}   series: ${legend.join(", ")}`);
  } else {
    lines.push(`${" ".repeat(labelWidth + 2)}y: ${plot.y.label}`);
  }
  return lines.map((l) => l.replace(/\s+$/, "")).join("\n");
}

/** Scatter points as shade characters by value (the terminal has no colour scale). */
function shadeScatter(
  series: ScatterSeries,
  toDot: (x: number, y: number) => [number, number],
  target: { cols: number; shade: string[] },
): void {
  const [lo, hi] = series.colorRange ?? finiteExtent(series.values) ?? [0, 1];
  const n = Math.min(series.x.length, series.y.length, series.values.length);
  for (let i = 0; i < n; i++) {
    const x = series.x[i] ?? Number.NaN;
    const y = series.y[i] ?? Number.NaN;
    const v = series.values[i] ?? Number.NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(v)) continue;
    const [dx, dy] = toDot(x, y);
    const cell = Math.floor(dy / 4) * target.cols + Math.floor(dx / 2);
    const level = Math.round(((v - lo) / (hi - lo || 1)) * (SHADES.length - 2)) + 1;
    target.shade[cell] = SHADES[Math.min(SHADES.length - 1, Math.max(1, level))] ?? ".";
  }
}

interface ShadeTarget {
  cols: number;
  rows: number;
  xLo: number;
  xHi: number;
  yTop: number;
  yBottom: number;
  shade: string[];
}

function shadeImage(
  image: NonNullable<PlotModel["image"]>,
  extent: readonly number[],
  t: ShadeTarget,
): void {
  const [lo, hi] = image.colorRange ?? finiteExtent(image.data) ?? [0, 1];
  const [left = 0, right = 1, bottom = 0, top = 1] = extent;
  for (let row = 0; row < t.rows; row++) {
    for (let col = 0; col < t.cols; col++) {
      const x = t.xLo + ((col + 0.5) / t.cols) * (t.xHi - t.xLo);
      const y = t.yTop - ((row + 0.5) / t.rows) * (t.yTop - t.yBottom);
      const c = Math.floor(((x - left) / (right - left)) * image.width);
      const rowZero = image.origin === "lower" ? bottom : top;
      const rowLast = image.origin === "lower" ? top : bottom;
      const r = Math.floor(((y - rowZero) / (rowLast - rowZero)) * image.height);
      if (c < 0 || r < 0 || c >= image.width || r >= image.height) continue;
      const v = image.data[r * image.width + c] ?? Number.NaN;
      if (!Number.isFinite(v)) continue;
      // Level 1 ("."), not a blank, for the lowest values: a blank cell means no data.
      const level = Math.round(((v - lo) / (hi - lo || 1)) * (SHADES.length - 2)) + 1;
      t.shade[row * t.cols + col] = SHADES[Math.min(SHADES.length - 1, Math.max(1, level))] ?? ".";
    }
  }
}

/** Bresenham's line between two dots. */
function drawLine(
  [x0, y0]: [number, number],
  [x1, y1]: [number, number],
  plot: (x: number, y: number) => void,
): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let error = dx + dy;
  let x = x0;
  let y = y0;
  for (;;) {
    plot(x, y);
    if (x === x1 && y === y1) return;
    const e2 = 2 * error;
    if (e2 >= dy) {
      error += dy;
      x += sx;
    }
    if (e2 <= dx) {
      error += dx;
      y += sy;
    }
  }
}

function formatEdge(v: number): string {
  if (v === 0) return "0";
  const magnitude = Math.abs(v);
  return magnitude >= 1e5 || magnitude < 1e-3
    ? v.toExponential(2)
    : String(Number(v.toPrecision(4)));
}

function centre(label: string, width: number): string {
  const pad = Math.max(0, Math.floor((width - label.length) / 2));
  return " ".repeat(pad) + label;
}
