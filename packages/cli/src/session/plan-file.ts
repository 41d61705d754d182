// `cerulean run file.ts`: a module whose `plan` export is a plan or a function of the scope.
import { existsSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PlanLike } from "@cerulean/engine";
import { CliUsageError } from "../errors.ts";
import { isPlan } from "./plan-scope.ts";

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
  const url = pathToFileURL(resolve(path)).href;
  let mod: { plan?: unknown; default?: unknown };
  try {
    mod = (await import(url)) as typeof mod;
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
      plan = (exported as (scope: Record<string, unknown>) => unknown)(scope);
    } catch (err) {
      throw new CliUsageError(`the plan of ${path} failed: ${(err as Error).message}`);
    }
  }
  if (!isPlan(plan)) {
    throw new CliUsageError(
      `the plan export of ${path} gave ${plan === null ? "null" : typeof plan}, not a plan`,
    );
  }
  return plan;
}

/**
 * The line of `path` an error came from ("file.ts:12: yield* bps.mv(motor, 'x')"), from the
 * error's stack or its causes' stacks; undefined when the error did not pass through the file.
 */
export function planLineOf(err: unknown, path: string): string | undefined {
  const file = resolve(path);
  const url = pathToFileURL(file).href;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    for (const frame of (e.stack ?? "").split("\n")) {
      const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(frame);
      const where = m?.[1];
      if (!m || where === undefined) continue;
      const local = where.startsWith("file://") ? fileURLToPath(where) : where;
      if (local !== file && where !== url) continue;
      const lineNo = Number(m[2]);
      const text = readFileSync(file, "utf8").split("\n")[lineNo - 1]?.trim() ?? "";
      return `${path}:${lineNo}: ${text}`;
    }
    e = e.cause;
  }
  return undefined;
}
