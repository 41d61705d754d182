// Legend and colour bar of a plot panel, in SVG.
import { colormapHex } from "./colormap.ts";
import type { ColormapName, PlotModel } from "./plot-model.ts";
import { annotationColor, line, r, seriesColor, text } from "./svg-elements.ts";
import { formatTick, niceTicks } from "./ticks.ts";

export function renderLegend(plot: PlotModel, right: number, top: number): string[] {
  const entries: { label: string; sample: (x: number, y: number) => string }[] = [];
  plot.series.forEach((s, i) => {
    if (!s.label) return;
    const color = seriesColor(s, i);
    entries.push({
      label: s.label,
      sample:
        s.kind === "scatter"
          ? (x, y) =>
              `<circle cx="${r(x + 11)}" cy="${r(y)}" r="4" fill="${colormapHex(s.colormap ?? "viridis", 0.6)}"/>`
          : (x, y) =>
              (s.line ?? "solid") === "none"
                ? `<circle cx="${r(x + 11)}" cy="${r(y)}" r="3" fill="${color}"/>`
                : `<line x1="${r(x)}" y1="${r(y)}" x2="${r(x + 22)}" y2="${r(y)}" stroke="${color}" stroke-width="2"${s.line === "dashed" ? ' stroke-dasharray="6 4"' : ""}/>`,
    });
  });
  plot.annotations.forEach((a, i) => {
    if (!a.label) return;
    const color = annotationColor(a, i);
    entries.push({
      label: a.label,
      sample: (x, y) =>
        `<line x1="${r(x)}" y1="${r(y)}" x2="${r(x + 22)}" y2="${r(y)}" stroke="${color}" stroke-width="1.5"${a.kind === "span" ? "" : ' stroke-dasharray="5 4"'}/>`,
    });
  });
  if (entries.length === 0) return [];
  const width = 40 + Math.max(...entries.map((e) => e.label.length)) * 7.2;
  const height = entries.length * 18 + 8;
  const x = right - width - 8;
  const y = top + 8;
  const out = [
    `<rect x="${r(x)}" y="${r(y)}" width="${r(width)}" height="${r(height)}" fill="white" fill-opacity="0.85" stroke="#bbb" rx="3"/>`,
  ];
  entries.forEach((e, i) => {
    const cy = y + 13 + i * 18;
    out.push(e.sample(x + 8, cy));
    out.push(text(x + 36, cy + 4, e.label, { size: 12 }));
  });
  return out;
}

export interface ColorbarPlace {
  x: number;
  top: number;
  bottom: number;
  id: string;
}

export function renderColorbar(
  [lo, hi]: [number, number],
  colormap: ColormapName,
  label: string,
  place: ColorbarPlace,
): string[] {
  const stops = Array.from({ length: 17 }, (_, i) => i / 16)
    .map((t) => `<stop offset="${t}" stop-color="${colormapHex(colormap, t)}"/>`)
    .join("");
  const scale = (v: number) => place.bottom - ((v - lo) / (hi - lo)) * (place.bottom - place.top);
  const out = [
    `<linearGradient id="${place.id}cbar" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient>`,
    `<rect x="${r(place.x)}" y="${r(place.top)}" width="14" height="${r(place.bottom - place.top)}" fill="url(#${place.id}cbar)" stroke="#222" stroke-width="1"/>`,
  ];
  const { ticks, step } = niceTicks(lo, hi, 5);
  for (const t of ticks) {
    out.push(line(place.x + 14, scale(t), place.x + 18, scale(t), "#222", 1));
    out.push(text(place.x + 21, scale(t) + 4, formatTick(t, step), { size: 11 }));
  }
  if (label) {
    const cx = place.x + 78;
    const cy = (place.top + place.bottom) / 2;
    out.push(
      text(cx, cy, label, {
        size: 13,
        anchor: "middle",
        transform: `rotate(-90 ${r(cx)} ${r(cy)})`,
      }),
    );
  }
  return out;
}
