// summarize_plan: what a plan would do, as text: the moves, the readings of each event and the
// run boundaries (Bluesky's summarize_plan / print_summary).
import type { PlanLike } from "../plan.ts";
import { summaryLines } from "../preprocessors/print-summary.ts";
import { type SimulateOptions, simulate } from "./simulate.ts";

/** Options of summarize_plan. */
export interface SummarizeOptions extends SimulateOptions {
  /** Where each line goes (default console.log); null prints nothing. */
  out?: ((line: string) => void) | null;
}

/**
 * Simulates `plan` without hardware and prints one line per move (`motor -> 1`), per event
 * (`  Read ['det', 'motor']`) and per run boundary; returns the lines.
 */
export function summarize_plan(plan: PlanLike, options: SummarizeOptions = {}): string[] {
  const { out = console.log, ...simulateOptions } = options;
  const lines: string[] = [];
  const summarize = summaryLines();
  simulate(plan, simulateOptions, (m) => {
    const line = summarize(m);
    if (line === undefined) return;
    lines.push(line);
    out?.(line);
  });
  return lines;
}

/** Bluesky's older name of summarize_plan. */
export const print_summary = summarize_plan;
