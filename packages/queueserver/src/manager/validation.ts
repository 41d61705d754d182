// Plan validation before queueing: the name is allowed, the arguments bind to the described
// parameters (Python's Signature.bind messages), types, ranges and device names check out.
// Arguments are JSON data; nothing in them is ever evaluated.
import { RequestFailedError } from "../errors.ts";
import type { ExistingLists, ParamDescription, PlanDescription } from "../profiles/describe.ts";

/** What a group may name. */
export interface Allowed {
  plans: ReadonlySet<string>;
  devices: ReadonlySet<string>;
}

const PREFIX = "Plan validation failed: ";

function fail(message: string): never {
  throw new RequestFailedError(PREFIX + message);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > 60 ? `${text.slice(0, 57)}...` : String(text);
}

/** Splits "a | list[b | c]" at top-level bars. */
function unionParts(type: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(type.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(type.slice(start).trim());
  return parts;
}

const DEVICE_TYPES = new Set(["__DEVICE__", "__READABLE__", "__MOVABLE__", "__FLYABLE__"]);

/** Null when `value` fits `type`, else what was expected. */
export function typeMismatch(
  value: unknown,
  type: string,
  ctx: { lists: ExistingLists; allowed: Allowed },
): string | null {
  const parts = unionParts(type);
  const reasons: string[] = [];
  for (const part of parts) {
    const reason = matchOne(value, part, ctx);
    if (reason === null) return null;
    reasons.push(reason);
  }
  return reasons.length === 1 ? (reasons[0] as string) : `expected ${type}, got ${show(value)}`;
}

function matchOne(
  value: unknown,
  type: string,
  ctx: { lists: ExistingLists; allowed: Allowed },
): string | null {
  const expected = `expected ${type}, got ${show(value)}`;
  if (type.startsWith("list[") && type.endsWith("]")) {
    if (!Array.isArray(value)) return expected;
    for (const v of value) {
      const r = typeMismatch(v, type.slice(5, -1), ctx);
      if (r !== null) return r;
    }
    return null;
  }
  switch (type) {
    case "any":
      return null;
    case "None":
      return value === null ? null : expected;
    case "int":
      return Number.isInteger(value) ? null : expected;
    case "float":
      return typeof value === "number" && Number.isFinite(value) ? null : expected;
    case "str":
      return typeof value === "string" ? null : expected;
    case "bool":
      return typeof value === "boolean" ? null : expected;
    case "dict":
      return typeof value === "object" && value !== null && !Array.isArray(value) ? null : expected;
    case "__PLAN__":
      if (typeof value !== "string") return expected;
      return ctx.allowed.plans.has(value)
        ? null
        : `plan ${show(value)} is not in the list of allowed plans`;
    default:
      if (DEVICE_TYPES.has(type)) return deviceMismatch(value, type, ctx);
      return null; // an unsupported annotation is ignored, as upstream does in headers
  }
}

function deviceMismatch(
  value: unknown,
  type: string,
  ctx: { lists: ExistingLists; allowed: Allowed },
): string | null {
  if (typeof value !== "string") return `expected a device name (${type}), got ${show(value)}`;
  const root = value.split(".")[0] ?? value;
  if (!ctx.allowed.devices.has(root))
    return `device ${show(value)} is not in the list of allowed devices`;
  const d = ctx.lists.devices[root];
  if (d && value === root) {
    if (type === "__READABLE__" && !d.is_readable) return `device ${show(value)} is not readable`;
    if (type === "__MOVABLE__" && !d.is_movable) return `device ${show(value)} is not movable`;
    if (type === "__FLYABLE__" && !d.is_flyable) return `device ${show(value)} is not flyable`;
  }
  return null;
}

function rangeProblem(value: unknown, p: ParamDescription): string | null {
  if (p.min === undefined && p.max === undefined) return null;
  if (typeof value === "number") {
    if ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max)) {
      return `value ${value} is out of range [${p.min ?? "-inf"}, ${p.max ?? "inf"}]`;
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (const v of value) {
      const r = rangeProblem(v, p);
      if (r) return r;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) {
      const r = rangeProblem(v, p);
      if (r) return r;
    }
  }
  return null;
}

/** Binds args/kwargs to the parameters; returns name -> value (var-positional as a list). */
export function bindArguments(
  plan: PlanDescription,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): Map<ParamDescription, unknown> {
  const bound = new Map<ParamDescription, unknown>();
  const positional = plan.parameters.filter((p) => p.kind.name === "POSITIONAL_OR_KEYWORD");
  const varPos = plan.parameters.find((p) => p.kind.name === "VAR_POSITIONAL");
  const varKw = plan.parameters.find((p) => p.kind.name === "VAR_KEYWORD");
  args.forEach((value, i) => {
    const p = positional[i];
    if (p) bound.set(p, value);
  });
  if (args.length > positional.length) {
    if (!varPos) fail("too many positional arguments");
    bound.set(varPos, args.slice(positional.length));
  }
  for (const [key, value] of Object.entries(kwargs)) {
    const p = plan.parameters.find(
      (q) =>
        q.name === key &&
        (q.kind.name === "POSITIONAL_OR_KEYWORD" || q.kind.name === "KEYWORD_ONLY"),
    );
    if (!p) {
      if (!varKw) fail(`got an unexpected keyword argument '${key}'`);
      continue;
    }
    if (bound.has(p)) fail(`multiple values for argument '${key}'`);
    bound.set(p, value);
  }
  for (const p of plan.parameters) {
    const required =
      p.default === undefined &&
      (p.kind.name === "POSITIONAL_OR_KEYWORD" || p.kind.name === "KEYWORD_ONLY");
    if (required && !bound.has(p)) fail(`missing a required argument: '${p.name}'`);
  }
  return bound;
}

/** Checks a plan item; throws RequestFailedError with the upstream-style message. */
export function validatePlan(
  item: { name: string; args?: unknown; kwargs?: unknown; meta?: unknown },
  lists: ExistingLists,
  allowed: Allowed,
): void {
  const plan = lists.plans[item.name];
  if (!plan || !allowed.plans.has(item.name)) {
    fail(`Plan '${item.name}' is not in the list of allowed plans.`);
  }
  const args = item.args ?? [];
  const kwargs = item.kwargs ?? {};
  if (!Array.isArray(args)) fail(`'args' must be a list, got ${show(args)}`);
  if (typeof kwargs !== "object" || kwargs === null || Array.isArray(kwargs)) {
    fail(`'kwargs' must be a dictionary, got ${show(kwargs)}`);
  }
  const meta = item.meta;
  if (
    meta !== undefined &&
    !(
      typeof meta === "object" &&
      meta !== null &&
      (!Array.isArray(meta) ||
        meta.every((m) => typeof m === "object" && m !== null && !Array.isArray(m)))
    )
  ) {
    fail(`'meta' must be a dictionary or a list of dictionaries, got ${show(meta)}`);
  }
  const bound = bindArguments(plan, args, kwargs as Record<string, unknown>);
  const ctx = { lists, allowed };
  for (const [p, value] of bound) {
    const values = p.kind.name === "VAR_POSITIONAL" ? (value as unknown[]) : [value];
    for (const v of values) {
      const type = p.annotation?.type;
      const mismatch = type === undefined ? null : typeMismatch(v, type, ctx);
      if (mismatch) fail(`Parameter '${p.name}': ${mismatch}`);
      const range = rangeProblem(v, p);
      if (range) fail(`Parameter '${p.name}': ${range}`);
      if (p.enum && typeof v === "string" && !p.enum.includes(v)) {
        fail(`Parameter '${p.name}': ${show(v)} is not one of ${JSON.stringify(p.enum)}`);
      }
    }
  }
}

/** Merges a list of meta dicts, the first occurrence of a key winning. */
export function mergeMeta(meta: unknown): Record<string, unknown> {
  if (!Array.isArray(meta)) return (meta as Record<string, unknown> | undefined) ?? {};
  const out: Record<string, unknown> = {};
  for (const m of meta as Record<string, unknown>[]) {
    for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
  }
  return out;
}
