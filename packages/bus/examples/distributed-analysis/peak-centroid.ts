// The science of the example: where the peak of a scan is. A centroid above the baseline is
// enough for a Gaussian sampled across its whole width (@cerulean/analysis has real fits; the
// bus may not depend on it, so the example stays self-contained).
import type { NamedDocument } from "@cerulean/event-model";

export interface PeakEstimate {
  center: number;
  height: number;
  points: number;
}

/** The centroid of `y` against `x` over the scan's primary events, or undefined if flat. */
export function peakCentroid(
  docs: NamedDocument[],
  x: string,
  y: string,
): PeakEstimate | undefined {
  const primary = new Set<string>();
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [name, doc] of docs) {
    if (name === "descriptor" && (doc.name ?? "primary") === "primary") primary.add(doc.uid);
    if (name === "event" && primary.has(doc.descriptor)) {
      const xv = doc.data[x];
      const yv = doc.data[y];
      if (typeof xv === "number" && typeof yv === "number") {
        xs.push(xv);
        ys.push(yv);
      }
    }
  }
  if (ys.length === 0) return undefined;
  const baseline = Math.min(...ys);
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < ys.length; i++) {
    const w = ys[i]! - baseline;
    sum += w;
    weighted += w * xs[i]!;
  }
  if (sum <= 0) return undefined;
  return { center: weighted / sum, height: Math.max(...ys), points: ys.length };
}
