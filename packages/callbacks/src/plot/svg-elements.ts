// SVG building blocks shared by the plot renderer: coordinates, lines, text, colours.
import type { Annotation, Series } from "./plot-model.ts";
import { PALETTE } from "./plot-model.ts";

export type Scale = (v: number) => number;

export function seriesColor(series: Series, index: number): string {
  if (series.kind === "line" && series.color) return series.color;
  return PALETTE[index % PALETTE.length] ?? "#1f77b4";
}

export function annotationColor(a: Annotation, index: number): string {
  return a.color ?? ["#222222", "#d62728", "#2ca02c", "#9467bd"][index % 4] ?? "#222";
}

export function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: string,
  width: number,
): string {
  return `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${color}" stroke-width="${width}"/>`;
}

export interface TextStyle {
  size: number;
  anchor?: "start" | "middle" | "end";
  weight?: "bold";
  transform?: string;
}

export function text(x: number, y: number, content: string, style: TextStyle): string {
  const attributes = [
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${style.size}"`,
    `fill="#222"`,
    style.anchor ? `text-anchor="${style.anchor}"` : "",
    style.weight ? `font-weight="${style.weight}"` : "",
    style.transform ? `transform="${style.transform}"` : "",
  ].filter(Boolean);
  return `<text ${attributes.join(" ")}>${escapeXml(content)}</text>`;
}

/** Rounds a coordinate to 0.01 px, which keeps SVG for 10,000-point plots compact. */
export function r(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
