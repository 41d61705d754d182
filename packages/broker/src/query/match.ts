// The filters evaluated in memory: the reference semantics that the SQL compilers must agree
// with (the storage contract suite checks them against this), and the search over the small
// containers below a run (its streams) in the HTTP tree.
import { DuplicateScanIdError } from "../errors.ts";
import type { Filter, KeyPath, Sort } from "./filters.ts";
import { isSetFilter, words } from "./filters.ts";

/** What a filter sees of a run: its documents and its place in insertion order. */
export interface MatchableRun {
  id: number;
  uid: string;
  start: Record<string, unknown>;
  stop: Record<string, unknown> | null;
}

const MISSING = Symbol("missing");

/** The value at `key`, or MISSING. */
function lookup(run: MatchableRun, key: KeyPath): unknown {
  let value: unknown = key.doc === "start" ? run.start : run.stop;
  for (const part of key.path) {
    if (
      typeof value !== "object" ||
      value === null ||
      Array.isArray(value) ||
      !Object.hasOwn(value, part)
    ) {
      return MISSING;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined ? MISSING : value;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a !== typeof b || a === null || b === null) return a === b;
  if (typeof a !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  return ak.every(
    (k) =>
      Object.hasOwn(b as object, k) &&
      sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function compare(value: unknown, operator: string, bound: number | string): boolean {
  if (typeof value !== typeof bound || (typeof value === "number" && Number.isNaN(value)))
    return false;
  const v = value as number | string;
  switch (operator) {
    case "lt":
      return v < bound;
    case "le":
      return v <= bound;
    case "gt":
      return v > bound;
    default:
      return v >= bound;
  }
}

/** SQL LIKE as a RegExp: `%` any run, `_` one character, everything else literal. */
export function likeToRegExp(pattern: string): RegExp {
  let source = "";
  for (const ch of pattern) {
    if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}

function textWords(run: MatchableRun): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") for (const w of words(value)) found.add(w);
    else if (typeof value === "object" && value !== null)
      for (const v of Object.values(value)) visit(v);
  };
  visit(run.start);
  visit(run.stop);
  return found;
}

/** True when the run passes one per-run filter (set-level filters pass here: see filterRuns). */
export function matches(run: MatchableRun, filter: Filter): boolean {
  switch (filter.op) {
    case "eq": {
      const v = lookup(run, filter.key);
      return v !== MISSING && sameJson(v, filter.value);
    }
    case "noteq": {
      const v = lookup(run, filter.key);
      return v !== MISSING && !sameJson(v, filter.value);
    }
    case "comparison":
      return compare(lookup(run, filter.key), filter.operator, filter.value);
    case "in": {
      const v = lookup(run, filter.key);
      return v !== MISSING && filter.values.some((x) => sameJson(v, x));
    }
    case "notin": {
      const v = lookup(run, filter.key);
      return v !== MISSING && !filter.values.some((x) => sameJson(v, x));
    }
    case "contains": {
      const v = lookup(run, filter.key);
      return Array.isArray(v) && v.some((x) => sameJson(x, filter.value));
    }
    case "keypresent":
      return (lookup(run, filter.key) !== MISSING) === filter.exists;
    case "like": {
      const v = lookup(run, filter.key);
      return typeof v === "string" && likeToRegExp(filter.pattern).test(v);
    }
    case "fulltext": {
      const have = textWords(run);
      return filter.words.every((w) => have.has(w));
    }
    case "uid_prefix":
      return filter.prefixes.some((p) => run.uid.startsWith(p));
    case "latest_per_scan_id":
    case "duplicated_scan_id":
    case "unique_scan_id":
      return true;
  }
}

/**
 * Applies filters (ANDed) to runs given in insertion order. Set-level filters look at the runs
 * that pass every per-run filter, whatever the order the filters were given in.
 */
export function filterRuns<T extends MatchableRun>(
  runs: readonly T[],
  filters: readonly Filter[],
): T[] {
  const passed = runs.filter((run) => filters.every((f) => matches(run, f)));
  const groups = new Map<unknown, T[]>();
  for (const run of passed) {
    const id = run.start["scan_id"];
    if (id === undefined || id === null) continue;
    const group = groups.get(id);
    if (group) group.push(run);
    else groups.set(id, [run]);
  }
  const groupOf = (run: T) => groups.get(run.start["scan_id"]) ?? [];
  let out = passed;
  for (const filter of filters) {
    if (!isSetFilter(filter)) continue;
    switch (filter.op) {
      case "latest_per_scan_id":
        out = out.filter((run) => groupOf(run).every((other) => other.id <= run.id));
        break;
      case "duplicated_scan_id":
        out = out.filter((run) => groupOf(run).length > 1);
        break;
      case "unique_scan_id":
        for (const [id, group] of groups) {
          if (group.length > 1)
            throw new DuplicateScanIdError(
              id,
              group.map((r) => r.uid),
            );
        }
    }
  }
  return out;
}

// Cross-type order for sorting, like SQLite's: numbers before strings before anything else.
function rank(v: unknown): number {
  if (typeof v === "boolean") return 0;
  if (typeof v === "number") return 1;
  if (typeof v === "string") return 2;
  return 3;
}

/** Sorts runs: runs having a sort key come before those lacking it; ties by insertion order. */
export function sortRuns<T extends MatchableRun>(runs: readonly T[], sorts: readonly Sort[]): T[] {
  return [...runs].sort((a, b) => {
    for (const { key, direction } of sorts) {
      if (key === null) {
        if (a.id !== b.id) return (a.id - b.id) * direction;
        continue;
      }
      const va = lookup(a, key);
      const vb = lookup(b, key);
      const ma = va === MISSING || va === null;
      const mb = vb === MISSING || vb === null;
      if (ma || mb) {
        if (ma && mb) continue;
        return ma ? 1 : -1;
      }
      const ra = rank(va);
      const rb = rank(vb);
      if (ra !== rb) return (ra - rb) * direction;
      if (ra === 3) continue;
      if (va !== vb) return ((va as number) < (vb as number) ? -1 : 1) * direction;
    }
    return a.id - b.id;
  });
}
