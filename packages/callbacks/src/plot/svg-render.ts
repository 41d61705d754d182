import type { FigureModel, ImageLayer, PlotModel, ScatterSeries } from "./plot-model.ts";
import { annotationColor, escapeXml, line, r, seriesColor, text } from "./svg-elements.ts";
import { imageExtent, renderAnnotation, renderImage, renderSeries } from "./svg-layers.ts";
import { renderColorbar, renderLegend } from "./svg-legend.ts";
import { finiteExtent, formatTick, niceTicks, padRange } from "./ticks.ts";

/** Size and look of a rendered plot. */
export interface SvgOptions {
  /** Pixels; default 800 x 500 (per figure, whatever the number of panels). */
  width?: number;
  height?: number;
  /** Default "DejaVu Sans", the font the PNG renderer loads. */
  fontFamily?: string;
  background?: string;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Renders a plot (or a figure of several) as a standalone SVG document. */
export function renderSvg(plot: PlotModel | FigureModel, options: SvgOptions = {}): string {
  const width = options.width ?? 800;
  const height = options.height ?? 500;
  const font = options.fontFamily ?? "DejaVu Sans";
  const figure: FigureModel = "panels" in plot ? plot : { panels: [plot] };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(font)}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${options.background ?? "white"}"/>`,
  ];
  let top = 0;
  if (figure.title) {
    out.push(text(width / 2, 24, figure.title, { size: 16, weight: "bold", anchor: "middle" }));
    top = 34;
  }
  const n = figure.panels.length;
  const columns = Math.max(1, figure.columns ?? (n <= 4 ? 1 : Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / columns));
  const cellW = width / columns;
  const cellH = (height - top) / rows;
  figure.panels.forEach((panel, i) => {
    const box = {
      x: (i % columns) * cellW,
      y: top + Math.floor(i / columns) * cellH,
      w: cellW,
      h: cellH,
    };
    out.push(...renderPanel(panel, box, `p${i}`));
  });
  out.push("</svg>");
  return out.join("\n");
}

function renderPanel(plot: PlotModel, box: Box, id: string): string[] {
  const scatter = plot.series.find((s): s is ScatterSeries => s.kind === "scatter");
  const colorRange = plot.image ? imageRange(plot.image) : scatter ? scatterRange(scatter) : null;
  const left = box.x + 78;
  const right = box.x + box.w - (colorRange ? 100 : 22);
  const top = box.y + (plot.title ? 36 : 14);
  const bottom = box.y + box.h - 54;
  const [xLo, xHi] = axisRange(plot, "x");
  const [yLo, yHi] = axisRange(plot, "y");
  const sx = (v: number) => left + ((v - xLo) / (xHi - xLo)) * (right - left);
  const sy = plot.y.inverted
    ? (v: number) => top + ((v - yLo) / (yHi - yLo)) * (bottom - top)
    : (v: number) => bottom - ((v - yLo) / (yHi - yLo)) * (bottom - top);
  const out: string[] = [
    `<clipPath id="${id}clip"><rect x="${r(left)}" y="${r(top)}" width="${r(right - left)}" height="${r(bottom - top)}"/></clipPath>`,
  ];
  const xTicks = niceTicks(xLo, xHi, Math.max(2, (right - left) / 90));
  const yTicks = niceTicks(yLo, yHi, Math.max(2, (bottom - top) / 55));
  for (const t of xTicks.ticks) out.push(line(sx(t), top, sx(t), bottom, "#e6e6e6", 1));
  for (const t of yTicks.ticks) out.push(line(left, sy(t), right, sy(t), "#e6e6e6", 1));
  out.push(`<g clip-path="url(#${id}clip)">`);
  if (plot.image && colorRange) out.push(renderImage(plot.image, colorRange, sx, sy));
  plot.series.forEach((series, i) => {
    out.push(...renderSeries(series, seriesColor(series, i), sx, sy, colorRange));
  });
  plot.annotations.forEach((a, i) => {
    out.push(...renderAnnotation(a, annotationColor(a, i), { sx, sy, left, right, top, bottom }));
  });
  out.push("</g>");
  out.push(
    `<rect x="${r(left)}" y="${r(top)}" width="${r(right - left)}" height="${r(bottom - top)}" fill="none" stroke="#222" stroke-width="1"/>`,
  );
  for (const t of xTicks.ticks) {
    out.push(line(sx(t), bottom, sx(t), bottom + 5, "#222", 1));
    out.push(text(sx(t), bottom + 19, formatTick(t, xTicks.step), { size: 12, anchor: "middle" }));
  }
  for (const t of yTicks.ticks) {
    out.push(line(left - 5, sy(t), left, sy(t), "#222", 1));
    out.push(text(left - 8, sy(t) + 4, formatTick(t, yTicks.step), { size: 12, anchor: "end" }));
  }
  out.push(text((left + right) / 2, bottom + 42, plot.x.label, { size: 14, anchor: "middle" }));
  const yMid = (top + bottom) / 2;
  out.push(
    text(box.x + 20, yMid, plot.y.label, {
      size: 14,
      anchor: "middle",
      transform: `rotate(-90 ${r(box.x + 20)} ${r(yMid)})`,
    }),
  );
  if (plot.title) {
    out.push(
      text((left + right) / 2, box.y + 24, plot.title, {
        size: 15,
        weight: "bold",
        anchor: "middle",
      }),
    );
  }
  if (plot.legend) out.push(...renderLegend(plot, right, top));
  if (colorRange) {
    const label = plot.colorbar?.label ?? "";
    out.push(
      ...renderColorbar(colorRange, plot.image?.colormap ?? scatter?.colormap ?? "viridis", label, {
        x: right + 16,
        top,
        bottom,
        id,
      }),
    );
  }
  return out;
}

function axisRange(plot: PlotModel, axis: "x" | "y"): [number, number] {
  const fixed = plot[axis].range;
  if (fixed && fixed[1] > fixed[0]) return fixed;
  const values: number[] = [];
  for (const s of plot.series) values.push(...s[axis]);
  for (const a of plot.annotations) {
    if (a.kind === "span") values.push(...(axis === "x" ? [a.from, a.to] : [a.at]));
    else if ((a.kind === "vline") === (axis === "x")) values.push(a.value);
  }
  const dataRange = finiteExtent(values);
  const image = plot.image ? imageExtent(plot.image) : undefined;
  const imageRange: [number, number] | undefined = image
    ? axis === "x"
      ? [Math.min(image[0], image[1]), Math.max(image[0], image[1])]
      : [Math.min(image[2], image[3]), Math.max(image[2], image[3])]
    : undefined;
  if (!dataRange) return imageRange ?? [0, 1];
  const padded = padRange(dataRange, 0.05);
  if (!imageRange) return padded;
  return [Math.min(padded[0], imageRange[0]), Math.max(padded[1], imageRange[1])];
}

function imageRange(image: ImageLayer): [number, number] {
  return image.colorRange ?? padZero(finiteExtent(image.data) ?? [0, 1]);
}

function scatterRange(series: ScatterSeries): [number, number] {
  return series.colorRange ?? padZero(finiteExtent(series.values) ?? [0, 1]);
}

function padZero(range: [number, number]): [number, number] {
  return range[1] > range[0] ? range : padRange(range, 0);
}
