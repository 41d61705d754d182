import type { DataSummary } from "./model.ts";

/** Why a fitted peak cannot be trusted: its centre outside the data, or narrower than the sampling. */
export function checkPeak(center: number, fwhm: number, data: DataSummary): string | null {
  if (center < data.xMin || center > data.xMax) {
    return `the peak centre ${fmt(center)} lies outside the scanned range [${fmt(data.xMin)}, ${fmt(data.xMax)}]`;
  }
  if (data.spacing > 0 && fwhm < data.spacing) {
    return `the peak (fwhm ${fmt(fwhm)}) is narrower than the point spacing ${fmt(data.spacing)}, so it rests on one or two points`;
  }
  return null;
}

/** A short number for messages. */
export function fmt(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}
