// The data layers of a plot panel: series, annotations and images, in SVG.
import { colormapHex, colormapRgb } from "./colormap.ts";
import type { Annotation, ImageLayer, Series } from "./plot-model.ts";
import { encodeRgbaPng } from "./png-encode.ts";
import { line, r, type Scale } from "./svg-elements.ts";

export function imageExtent(image: ImageLayer): [number, number, number, number] {
  return image.extent ?? [0, image.width, 0, image.height];
}

export function renderSeries(
  series: Series,
  color: string,
  sx: Scale,
  sy: Scale,
  colorRange: [number, number] | null,
): string[] {
  const n = Math.min(series.x.length, series.y.length);
  if (series.kind === "scatter") {
    const [lo, hi] = colorRange ?? [0, 1];
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = series.x[i] ?? Number.NaN;
      const y = series.y[i] ?? Number.NaN;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const t = ((series.values[i] ?? Number.NaN) - lo) / (hi - lo);
      out.push(
        `<circle cx="${r(sx(x))}" cy="${r(sy(y))}" r="5" fill="${colormapHex(series.colormap ?? "viridis", t)}" stroke="#333" stroke-width="0.5"/>`,
      );
    }
    return out;
  }
  const out: string[] = [];
  if ((series.line ?? "solid") !== "none") {
    const parts: string[] = [];
    let pen = false;
    for (let i = 0; i < n; i++) {
      const x = series.x[i] ?? Number.NaN;
      const y = series.y[i] ?? Number.NaN;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      parts.push(`${pen ? "L" : "M"}${r(sx(x))} ${r(sy(y))}`);
      pen = true;
    }
    if (parts.length) {
      const dash = series.line === "dashed" ? ' stroke-dasharray="6 4"' : "";
      out.push(
        `<path d="${parts.join("")}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round"${dash}/>`,
      );
    }
  }
  const marker = series.marker ?? "auto";
  if (marker === "circle" || (marker === "auto" && n <= 200) || series.line === "none") {
    for (let i = 0; i < n; i++) {
      const x = series.x[i] ?? Number.NaN;
      const y = series.y[i] ?? Number.NaN;
      if (Number.isFinite(x) && Number.isFinite(y)) {
        out.push(`<circle cx="${r(sx(x))}" cy="${r(sy(y))}" r="3" fill="${color}"/>`);
      }
    }
  }
  return out;
}

export interface Area {
  sx: Scale;
  sy: Scale;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function renderAnnotation(a: Annotation, color: string, area: Area): string[] {
  const dash = ' stroke-dasharray="5 4"';
  if (a.kind !== "span") {
    if (a.kind === "vline") {
      const x = area.sx(a.value);
      return [
        `<line x1="${r(x)}" y1="${r(area.top)}" x2="${r(x)}" y2="${r(area.bottom)}" stroke="${color}" stroke-width="1.3"${dash}/>`,
      ];
    }
    const y = area.sy(a.value);
    return [
      `<line x1="${r(area.left)}" y1="${r(y)}" x2="${r(area.right)}" y2="${r(y)}" stroke="${color}" stroke-width="1.3"${dash}/>`,
    ];
  }
  const y = area.sy(a.at);
  const x1 = area.sx(Math.min(a.from, a.to));
  const x2 = area.sx(Math.max(a.from, a.to));
  const head = (x: number, dir: number) =>
    `<path d="M${r(x)} ${r(y)}L${r(x + dir * 8)} ${r(y - 4)}L${r(x + dir * 8)} ${r(y + 4)}Z" fill="${color}"/>`;
  return [line(x1, y, x2, y, color, 1.5), head(x1, 1), head(x2, -1)];
}

export function renderImage(
  image: ImageLayer,
  [lo, hi]: [number, number],
  sx: Scale,
  sy: Scale,
): string {
  const { width, height } = image;
  const [left, right, bottom, top] = imageExtent(image);
  // Data row 0 lies at the top edge of the extent ("upper") or at its bottom edge ("lower");
  // PNG rows run down the screen, so flip when row 0 ends up lower on screen than the last row.
  const rowZero = image.origin === "lower" ? bottom : top;
  const rowLast = image.origin === "lower" ? top : bottom;
  const flip = sy(rowZero) > sy(rowLast);
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const source = flip ? height - 1 - row : row;
    for (let col = 0; col < width; col++) {
      const v = image.data[source * width + col] ?? Number.NaN;
      if (!Number.isFinite(v)) continue;
      const [red, green, blue] = colormapRgb(image.colormap ?? "viridis", (v - lo) / (hi - lo));
      rgba.set([red, green, blue, 255], (row * width + col) * 4);
    }
  }
  const x = Math.min(sx(left), sx(right));
  const y = Math.min(sy(top), sy(bottom));
  const href = `data:image/png;base64,${encodeRgbaPng(width, height, rgba).toString("base64")}`;
  return `<image x="${r(x)}" y="${r(y)}" width="${r(Math.abs(sx(right) - sx(left)))}" height="${r(Math.abs(sy(top) - sy(bottom)))}" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="${href}"/>`;
}
