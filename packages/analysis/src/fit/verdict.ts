// The verdict on a fit: the first reason its numbers must not be used, or none.
import type { DataSummary, Model } from "../models/model.ts";
import { fmt } from "../models/peak-check.ts";
import type { FitOptions } from "./fit.ts";
import type { FitFailure, FitResult } from "./fit-result.ts";

export interface Verdict {
  summary: DataSummary;
  xSpan: number;
  free: readonly number[];
  converged: boolean;
  singular: boolean;
  options: FitOptions;
}

/** The first reason not to trust the fit, the most telling first (pure noise: not significant). */
export function judge(model: Model, result: FitResult, v: Verdict): FitFailure | null {
  const names = model.paramNames;
  const significance = v.options.significance ?? 1e-3;
  const trials = searchedPositions(model, result, v.xSpan);
  if (result.pValue !== null && !(result.pValue < significance / trials)) {
    const needs =
      trials > 1 ? `${significance} / ${fmt(trials)} positions searched` : `${significance}`;
    return {
      code: "not-significant",
      message: `the ${model.name} model describes the data no better than a constant (F-test p = ${fmt(result.pValue)}, needs < ${needs})`,
    };
  }
  if (v.singular) {
    return {
      code: "singular",
      message: `the data cannot determine ${v.free.map((k) => names[k]).join(", ")} independently (singular Jacobian)`,
    };
  }
  if (!v.converged) {
    return {
      code: "not-converged",
      message: `no minimum found within ${result.iterations} iterations`,
    };
  }
  const maxRelative = v.options.maxRelativeError ?? 1;
  for (const k of v.free) {
    const name = names[k] as string;
    const role = model.params[k]?.role;
    const value = result.params[name] ?? 0;
    const error = result.stderr[name];
    const scale =
      role === "position"
        ? v.xSpan / 2
        : role === "amplitude" || role === "width"
          ? Math.abs(value)
          : null;
    if (scale === null) continue;
    if (error === null || error === undefined || !(error <= maxRelative * scale)) {
      return {
        code: "undetermined",
        message: `parameter "${name}" is undetermined: ${fmt(value)} +/- ${error === null || error === undefined ? "?" : fmt(error)}`,
      };
    }
  }
  if (v.options.checkPlausibility ?? true) {
    const problem = model.check(
      names.map((n) => result.params[n] ?? 0),
      v.summary,
    );
    if (problem !== null) return { code: "implausible", message: problem };
  }
  return null;
}

/**
 * How many independent places a peak or edge could have been found in: the scanned range over the
 * fitted width. Noise fitted anywhere in the range beats a fixed p-value that often (the
 * look-elsewhere effect), so the significance threshold is divided by it.
 */
function searchedPositions(model: Model, result: FitResult, xSpan: number): number {
  if (!model.params.some((p) => p.role === "position")) return 1;
  const widths = Object.entries(result.derived)
    .filter(([key, value]) => key.endsWith("fwhm") && value > 0 && Number.isFinite(value))
    .map(([, value]) => value);
  if (widths.length === 0) return 1;
  return Math.max(1, xSpan / Math.min(...widths));
}
