// The names a plan expression, a plan file or the REPL sees: plans, stubs, devices.
import type { PlanLike } from "@cerulean/engine";
import { CliUsageError } from "../errors.ts";
import type { PlanFunction } from "../profile/config.ts";

type EngineModule = typeof import("@cerulean/engine");

/** Devices, the plans (top level and as `bp`), `bps`, `bpp` and the common wrappers. */
export function planScope(
  devices: Record<string, unknown>,
  engine: EngineModule,
  extraPlans: Record<string, PlanFunction> = {},
): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const { bps, bp, bpp } = engine;
  for (const [name, value] of Object.entries(bp))
    if (typeof value === "function") scope[name] = value;
  scope["count"] = engine.count;
  scope["bps"] = bps;
  scope["bp"] = bp;
  scope["bpp"] = bpp;
  for (const name of [
    "run_wrapper",
    "stage_wrapper",
    "finalize_wrapper",
    "contingency_wrapper",
  ] as const) {
    scope[name] = engine[name];
  }
  Object.assign(scope, extraPlans);
  for (const [name, device] of Object.entries(devices)) scope[name] = device;
  return scope;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether `value` looks like a plan (a generator or an iterable of messages). */
export function isPlan(value: unknown): value is PlanLike {
  return (
    typeof value === "object" &&
    value !== null &&
    (typeof (value as { next?: unknown }).next === "function" || Symbol.iterator in value)
  );
}

/**
 * Evaluates a plan expression with `scope`'s names bound (a Function over the scope's values,
 * in strict mode, so the expression cannot see or change this module's variables). Throws
 * CliUsageError naming the expression when it does not parse, names something unknown, throws,
 * or gives something that is not a plan.
 */
export function evaluatePlan(expression: string, scope: Record<string, unknown>): PlanLike {
  const names = Object.keys(scope).filter((n) => IDENTIFIER.test(n));
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = new Function(...names, `"use strict";\nreturn (${expression}\n);`) as typeof fn;
  } catch (err) {
    throw new CliUsageError(
      `cannot parse the plan expression "${expression}": ${(err as Error).message}`,
    );
  }
  let plan: unknown;
  try {
    plan = fn(...names.map((n) => scope[n]));
  } catch (err) {
    const message = (err as Error).message;
    const hint = err instanceof ReferenceError ? unknownNameHint(message, names) : "";
    throw new CliUsageError(`the plan expression "${expression}" failed: ${message}${hint}`);
  }
  if (!isPlan(plan)) {
    throw new CliUsageError(
      `the plan expression "${expression}" gave ${plan === null ? "null" : typeof plan}, not a plan; call a plan, e.g. count([det], 5)`,
    );
  }
  return plan;
}

/** "; did you mean ...?" for a ReferenceError message, from the names in scope ("" if none). */
export function unknownNameHint(message: string, names: readonly string[]): string {
  const unknown = /^(\S+) is not defined/.exec(message)?.[1];
  if (unknown === undefined) return "";
  const close = closestNames(unknown, names);
  return close.length > 0 ? `; did you mean ${close.join(" or ")}?` : "";
}

/** Up to three names within a third of `word`'s length in edits, closest first. */
export function closestNames(word: string, names: readonly string[]): string[] {
  return names
    .map((name) => ({ name, d: editDistance(word.toLowerCase(), name.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(word.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map(({ name }) => name)
    .slice(0, 3);
}

/** Edit distance counting a swap of two neighbours as one edit ("scna" is one from "scan"). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const up = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
