// Which line of a plan file yielded the message that failed. A message does not know where it
// was made, and an error thrown into a suspended generator carries the stack of whoever made the
// error, so: the plans and stubs handed to the file note the file line that called them, the
// messages they yield are tagged with it, and the error thrown back in response is matched to the
// last message yielded.
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Msg, Plan, PlanLike } from "@cerulean/engine";
import { isPlan } from "./plan-scope.ts";

/** Where each traced message was made ("file.ts:12: yield* bps.mv(motor, 'x')"). */
const origins = new WeakMap<object, string>();
/** The origin of the message each error answered. */
const failures = new WeakMap<object, string>();

/** The first frame of `stack` in `path`, formatted as `path:line: text` (lines of the file). */
export function fileLineInStack(
  stack: string,
  path: string,
  lines: () => string[],
): string | undefined {
  const file = resolve(path);
  const url = pathToFileURL(file).href;
  for (const frame of stack.split("\n")) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    const where = m?.[1];
    if (!m || where === undefined) continue;
    const local = where.startsWith("file://") ? fileURLToPath(where) : where;
    if (local !== file && where !== url) continue;
    const lineNo = Number(m[2]);
    return `${path}:${lineNo}: ${lines()[lineNo - 1]?.trim() ?? ""}`;
  }
  return undefined;
}

/** The same generator, its yielded messages tagged with `where` unless already tagged. */
function tagged(gen: Plan, where: string): Plan {
  const tag = (step: IteratorResult<Msg, unknown>) => {
    if (!step.done && typeof step.value === "object" && step.value !== null) {
      if (!origins.has(step.value)) origins.set(step.value, where);
    }
    return step;
  };
  const iterator: Iterator<Msg, unknown, unknown> & Iterable<Msg> = {
    next: (value?: unknown) => tag(gen.next(value)),
    throw: (err?: unknown) => tag(gen.throw(err)),
    return: (value?: unknown) => tag(gen.return(value)),
    [Symbol.iterator]() {
      return this;
    },
  };
  return (function* () {
    return yield* iterator;
  })();
}

/** Functions that may return plans; classes (capitalised, called with new) are left alone. */
function isPlanFactory(name: string, value: unknown): boolean {
  return typeof value === "function" && !/^[A-Z]/.test(name);
}

function traceFunction(fn: (...args: unknown[]) => unknown, caller: () => string | undefined) {
  return function (this: unknown, ...args: unknown[]) {
    const where = caller();
    const result = fn.apply(this, args);
    if (where === undefined || !isPlan(result) || !("next" in result)) return result;
    return tagged(result as Plan, where);
  };
}

function traceNamespace(ns: object, caller: () => string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ns)) {
    out[name] = isPlanFactory(name, value)
      ? traceFunction(value as (...args: unknown[]) => unknown, caller)
      : value;
  }
  return out;
}

/**
 * A copy of `scope` for the plan file `path` whose plan functions (top level, `bp`, `bps`, `bpp`)
 * tag the messages they yield with the line of `path` that called them.
 */
export function traceScope(
  scope: Record<string, unknown>,
  path: string,
  source: string,
): Record<string, unknown> {
  let lines: string[] | undefined;
  const text = () => {
    lines ??= source.split("\n");
    return lines;
  };
  const caller = () => fileLineInStack(new Error().stack ?? "", path, text);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scope)) {
    if (isPlanFactory(name, value)) {
      out[name] = traceFunction(value as (...args: unknown[]) => unknown, caller);
    } else if (name === "bp" || name === "bps" || name === "bpp") {
      out[name] = traceNamespace(value as object, caller);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Wraps a plan so that an error it does not handle remembers the message it answered. */
export function tracePlan(plan: PlanLike): Plan {
  const gen: Plan = (
    isPlan(plan) && "next" in plan
      ? plan
      : (function* () {
          yield* plan;
        })()
  ) as Plan;
  let last: Msg | undefined;
  const remember = (step: IteratorResult<Msg, unknown>) => {
    if (!step.done) last = step.value;
    return step;
  };
  const iterator: Iterator<Msg, unknown, unknown> & Iterable<Msg> = {
    next: (value?: unknown) => remember(gen.next(value)),
    throw: (err?: unknown) => {
      const origin = last === undefined ? undefined : origins.get(last);
      if (origin !== undefined && typeof err === "object" && err !== null) {
        if (!failures.has(err)) failures.set(err, origin);
      }
      return remember(gen.throw(err));
    },
    return: (value?: unknown) => remember(gen.return(value)),
    [Symbol.iterator]() {
      return this;
    },
  };
  return (function* () {
    return yield* iterator;
  })();
}

/** The traced line of the message `err` (or one of its causes) answered, if any. */
export function failedMessageLine(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const origin = failures.get(e);
    if (origin !== undefined) return origin;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
