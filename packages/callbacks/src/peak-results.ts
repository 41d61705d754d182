import type { PeakStatsResult, XY } from "@cerulean/analysis";
import { alignRight, formatFixed } from "./format/python-format.ts";

/** BestEffortCallback's `peaks`: each statistic keyed by detector field. */
export interface PeakResults {
  com: Record<string, number | null>;
  cen: Record<string, number | null>;
  max: Record<string, XY | null>;
  min: Record<string, XY | null>;
  fwhm: Record<string, number | null>;
  crossings: Record<string, number[] | null>;
}

export function emptyPeakResults(): PeakResults {
  return { com: {}, cen: {}, max: {}, min: {}, fwhm: {}, crossings: {} };
}

/** Stores one field's statistics in the results. */
export function addPeakResult(results: PeakResults, field: string, stats: PeakStatsResult): void {
  results.com[field] = stats.com;
  results.cen[field] = stats.cen;
  results.max[field] = stats.max;
  results.min[field] = stats.min;
  results.fwhm[field] = stats.fwhm;
  results.crossings[field] = stats.crossings;
}

/**
 * The peak statistics as a table in LiveTable's style, one row per field: com, cen, the x of max
 * and min, fwhm (n/a where there is none), with `precision` decimals.
 */
export function formatPeakTable(results: PeakResults, x: string, precision: number): string[] {
  const fields = Object.keys(results.com);
  if (fields.length === 0) return [];
  // A descriptor's precision may be any integer; toFixed takes 0 to 100.
  const digits = Number.isFinite(precision) ? Math.min(20, Math.max(0, Math.trunc(precision))) : 3;
  const width = Math.max(12, ...fields.map((f) => f.length + 2));
  const cell = (text: string) => ` ${alignRight(text, width - 2)} `;
  const number = (v: number | null | undefined) =>
    v === null || v === undefined ? "n/a" : formatFixed(v, digits);
  const headings = ["field", "com", "cen", "max", "min", "fwhm"];
  const border = `+${headings.map(() => "-".repeat(width)).join("+")}+`;
  const lines = [
    `Peak statistics (x = ${x}):`,
    border,
    `|${headings.map(cell).join("|")}|`,
    border,
  ];
  for (const f of fields) {
    const row = [
      f,
      number(results.com[f]),
      number(results.cen[f]),
      number(results.max[f]?.[0]),
      number(results.min[f]?.[0]),
      number(results.fwhm[f]),
    ];
    lines.push(`|${row.map(cell).join("|")}|`);
  }
  lines.push(border);
  return lines;
}
