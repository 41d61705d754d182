// print_summary_wrapper: prints the moves and readings of a plan as its messages pass.
import { type Msg, objectName } from "../msg.ts";
import type { Plan, PlanLike } from "../plan.ts";
import { msg_mutator } from "./msg-mutator.ts";

/** `text` centred in a line of 80 `=` (Python's "{:=^80}"). */
function banner(text: string): string {
  const pad = Math.max(0, 80 - text.length);
  const left = Math.floor(pad / 2);
  return `${"=".repeat(left)}${text}${"=".repeat(pad - left)}`;
}

/** A one-line summary of what a message does, for the messages worth showing. */
export function summaryLines(): (m: Msg) => string | undefined {
  let reads: string[] = [];
  return (m) => {
    switch (m.command) {
      case "open_run":
        return banner(" Open Run ");
      case "close_run":
        return banner(" Close Run ");
      case "set":
        return `${objectName(m.obj)} -> ${formatValue(m.args[0])}`;
      case "create":
        reads = [];
        return undefined;
      case "read":
        reads.push(...[m.obj, ...m.args].map(objectName));
        return undefined;
      case "save":
        return `  Read [${reads.map((r) => `'${r}'`).join(", ")}]`;
      default:
        return undefined;
    }
  };
}

function formatValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Passes `plan` through unchanged, printing (with `out`, default console.log) its moves
 * (`motor -> 1`), the devices read into each event, and the run boundaries.
 */
export function print_summary_wrapper<T>(
  plan: PlanLike<T>,
  out: (line: string) => void = console.log,
): Plan<T | undefined> {
  const summarize = summaryLines();
  return msg_mutator(plan, (m) => {
    const line = summarize(m);
    if (line !== undefined) out(line);
    return m;
  });
}
