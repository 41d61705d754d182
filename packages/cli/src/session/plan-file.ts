// `cerulean run file.ts`: a module whose `plan` export is a plan or a function of the scope.
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import type { PlanLike } from "@cerulean/engine";
import { CliUsageError } from "../errors.ts";
import { importModule } from "./import-module.ts";
import { isPlan } from "./plan-scope.ts";
import { failedMessageLine, fileLineInStack, tracePlan, traceScope } from "./plan-trace.ts";

const PLAN_FILE_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

/** Whether a `cerulean run` argument names a plan file rather than an expression. */
export function isPlanFile(argument: string): boolean {
  return PLAN_FILE_EXTENSIONS.has(extname(argument)) && existsSync(argument);
}

/**
 * Imports `path` and returns its plan: the `plan` export (or a default export) called with the
 * scope when it is a function (`export const plan = ({ scan, det, motor }) => scan(...)`).
 */
export async function loadPlanFile(
  path: string,
  scope: Record<string, unknown>,
): Promise<PlanLike> {
  let mod: { plan?: unknown; default?: unknown };
  try {
    mod = await importModule(path);
  } catch (err) {
    throw new CliUsageError(`cannot load the plan file ${path}: ${(err as Error).message}`);
  }
  const exported = mod.plan ?? mod.default;
  if (exported === undefined) {
    throw new CliUsageError(
      `the plan file ${path} exports no "plan"; expected e.g. export const plan = ({ count, det }) => count([det], 5)`,
    );
  }
  let plan: unknown = exported;
  if (typeof exported === "function") {
    try {
      const traced = traceScope(scope, path, readFileSync(path, "utf8"));
      plan = (exported as (scope: Record<string, unknown>) => unknown)(traced);
    } catch (err) {
      throw new CliUsageError(`the plan of ${path} failed: ${(err as Error).message}`);
    }
  }
  if (!isPlan(plan)) {
    throw new CliUsageError(
      `the plan export of ${path} gave ${plan === null ? "null" : typeof plan}, not a plan`,
    );
  }
  return tracePlan(plan);
}

/**
 * The line of `path` that yielded the message an error answered ("file.ts:12: yield* bps.mv(...)"),
 * else the first line of `path` on the error's (or its causes') stack; undefined if neither.
 */
export function planLineOf(err: unknown, path: string): string | undefined {
  const traced = failedMessageLine(err);
  if (traced !== undefined) return traced;
  let lines: string[] | undefined;
  const text = () => {
    lines ??= readFileSync(path, "utf8").split("\n");
    return lines;
  };
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    const line = fileLineInStack(e.stack ?? "", path, text);
    if (line !== undefined) return line;
    e = e.cause;
  }
  return undefined;
}
