import { NoResultError } from "./errors.ts";
import type { PeakStatsResult } from "./peak-stats.ts";

/**
 * The statistic a per-run feedback moves to: `cen` (half-maximum centre), `com` (centre of
 * mass), `max`/`peak` (x of the highest point), `min` (x of the lowest point).
 */
export type PeakTarget = "cen" | "com" | "max" | "peak" | "min";

/**
 * The x position a `goto_*`-style alignment should move to, from a run's peak statistics.
 * Throws NoResultError (naming what is missing) rather than returning a position that is not one.
 */
export function peakTargetPosition(stats: PeakStatsResult, target: PeakTarget): number {
  let value: number | null;
  switch (target) {
    case "cen":
      value = stats.cen;
      break;
    case "com":
      value = stats.com;
      break;
    case "max":
    case "peak":
      value = stats.max[0];
      break;
    case "min":
      value = stats.min[0];
      break;
  }
  if (value === null || !Number.isFinite(value)) {
    throw new NoResultError(
      `the last run has no usable "${target}" (got ${String(value)}): no half-maximum crossings or no signal`,
    );
  }
  return value;
}
