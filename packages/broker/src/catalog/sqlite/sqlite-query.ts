// Filters and sorts compiled to SQLite SQL over the `runs` table (JSONB columns start/stop).
// Type checks go with every comparison so that "0" never equals 0, as in the in-memory matcher.
import { InvalidQueryError } from "../../errors.ts";
import type { Filter, KeyPath, Sort } from "../../query/filters.ts";
import { whereWithSetFilters } from "../where-with-set-filters.ts";

/** A WHERE clause and its parameters. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** Upper bound for a prefix range: any string starting with the prefix sorts below it. */
export const PREFIX_END = "\u{10FFFF}";

function jsonPath(key: KeyPath): string {
  for (const part of key.path) {
    if (part.includes('"')) {
      throw new InvalidQueryError(
        `query key segment ${JSON.stringify(part)} contains a double quote, which cannot be searched`,
      );
    }
  }
  return `$${key.path.map((p) => `."${p}"`).join("")}`;
}

/** Columns that mirror a start key exactly (start documents are validated at ingest). */
function specialColumn(key: KeyPath): string | null {
  if (key.doc !== "start" || key.path.length !== 1) return null;
  const name = key.path[0];
  return name === "time" || name === "scan_id" || name === "uid" ? `runs.${name}` : null;
}

/** `value` compared for equality against the JSON value at (type, value) SQL expressions. */
function equalsSql(typeExpr: string, valueExpr: string, value: unknown, params: unknown[]): string {
  if (value === null) return `${typeExpr} = 'null'`;
  switch (typeof value) {
    case "boolean":
      return `${typeExpr} = '${value ? "true" : "false"}'`;
    case "number":
      params.push(value);
      return `(${typeExpr} IN ('integer', 'real') AND ${valueExpr} = ?)`;
    case "string":
      params.push(value);
      return `(${typeExpr} = 'text' AND ${valueExpr} = ?)`;
    default:
      throw new Error("objects and arrays are compared by deepEqualsSql");
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The JSON value at `path` in the JSON `doc` equals `value`; objects are compared key by key so
 * that key order does not matter (as jsonb and the in-memory matcher compare them).
 */
function deepEqualsSql(doc: string, path: string, value: unknown, params: unknown[]): string {
  const at = sqlString(path);
  const type = `json_type(${doc}, ${at})`;
  if (value === null || typeof value !== "object")
    return equalsSql(type, `json_extract(${doc}, ${at})`, value, params);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => deepEqualsSql(doc, `${path}[${i}]`, v, params));
    return `(${[`${type} = 'array'`, `json_array_length(${doc}, ${at}) = ${value.length}`, ...items].join(" AND ")})`;
  }
  const entries = Object.entries(value);
  const members = entries.map(([k, v]) => {
    if (k.includes('"')) {
      throw new InvalidQueryError(
        `query value key ${JSON.stringify(k)} contains a double quote, which cannot be searched`,
      );
    }
    return deepEqualsSql(doc, `${path}."${k}"`, v, params);
  });
  const count = `(SELECT count(*) FROM json_each(${doc}, ${at})) = ${entries.length}`;
  return `(${[`${type} = 'object'`, count, ...members].join(" AND ")})`;
}

function isComposite(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

interface Accessor {
  type: string;
  value: string;
  /** The document column and JSON path, for keys that are not special columns. */
  json?: { doc: string; path: string };
}

/** The value at an accessor equals `value`. */
function equalsAt(a: Accessor, value: unknown, params: unknown[]): string {
  if (!isComposite(value)) return equalsSql(a.type, a.value, value, params);
  return a.json ? deepEqualsSql(a.json.doc, a.json.path, value, params) : "0";
}

function accessor(key: KeyPath): Accessor {
  const column = specialColumn(key);
  if (column) {
    const type =
      column === "runs.uid"
        ? "'text'"
        : `(CASE WHEN ${column} IS NULL THEN NULL WHEN typeof(${column}) = 'integer' THEN 'integer' ELSE 'real' END)`;
    return { type, value: column };
  }
  const path = jsonPath(key);
  // The path is a literal here: it is checked above and lets SQLite reuse the parsed path.
  const literal = `'${path.replaceAll("'", "''")}'`;
  return {
    type: `json_type(runs.${key.doc}, ${literal})`,
    value: `json_extract(runs.${key.doc}, ${literal})`,
    json: { doc: `runs.${key.doc}`, path },
  };
}

function globPattern(like: string): string {
  let out = "";
  for (const ch of like) {
    if (ch === "%") out += "*";
    else if (ch === "_") out += "?";
    else if (ch === "*" || ch === "?" || ch === "[") out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

function filterSql(filter: Filter, params: unknown[]): string {
  switch (filter.op) {
    case "eq": {
      const a = accessor(filter.key);
      return equalsAt(a, filter.value, params);
    }
    case "noteq": {
      const a = accessor(filter.key);
      return `(${a.type} IS NOT NULL AND NOT ${equalsAt(a, filter.value, params)})`;
    }
    case "in":
    case "notin": {
      const a = accessor(filter.key);
      const any =
        filter.values.length === 0
          ? "0"
          : `(${filter.values.map((v) => equalsAt(a, v, params)).join(" OR ")})`;
      return filter.op === "in" ? any : `(${a.type} IS NOT NULL AND NOT ${any})`;
    }
    case "comparison": {
      const a = accessor(filter.key);
      const op = { lt: "<", le: "<=", gt: ">", ge: ">=" }[filter.operator];
      params.push(filter.value);
      const type = typeof filter.value === "number" ? "IN ('integer', 'real')" : "= 'text'";
      return `(${a.type} ${type} AND ${a.value} ${op} ?)`;
    }
    case "contains": {
      const path = jsonPath(filter.key);
      params.push(path, path);
      // An element that is an object or array arrives as JSON text in e.value.
      const inner = isComposite(filter.value)
        ? `(CASE WHEN e.type IN ('object', 'array') THEN ${deepEqualsSql("e.value", "$", filter.value, params)} ELSE 0 END)`
        : equalsSql("e.type", "e.value", filter.value, params);
      return `(json_type(runs.${filter.key.doc}, ?) = 'array' AND EXISTS (SELECT 1 FROM json_each(runs.${filter.key.doc}, ?) AS e WHERE ${inner}))`;
    }
    case "keypresent": {
      const a = accessor(filter.key);
      return `${a.type} IS ${filter.exists ? "NOT " : ""}NULL`;
    }
    case "like": {
      const a = accessor(filter.key);
      params.push(globPattern(filter.pattern));
      return `(${a.type} = 'text' AND ${a.value} GLOB ?)`;
    }
    case "fulltext":
      params.push(filter.words.map((w) => `"${w}"`).join(" "));
      return "runs.id IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?)";
    case "uid_prefix":
      for (const p of filter.prefixes) params.push(p, p + PREFIX_END);
      return filter.prefixes.length === 0
        ? "0"
        : `(${filter.prefixes.map(() => "(runs.uid >= ? AND runs.uid < ?)").join(" OR ")})`;
    case "latest_per_scan_id":
    case "duplicated_scan_id":
    case "unique_scan_id":
      throw new Error(`${filter.op} is a set-level filter; whereSql compiles it`);
  }
}

function rowsSql(filters: readonly Filter[], params: unknown[]): string {
  const parts = filters.map((f) => filterSql(f, params));
  return parts.length ? parts.join(" AND ") : "1";
}

/**
 * The WHERE clause (without the keyword) for filters ANDed; "1" when there are none. Set-level
 * filters are judged among the runs matching the per-run filters (the subqueries repeat them).
 * unique_scan_id is not a condition here: the catalog checks it before searching.
 */
export function whereSql(filters: readonly Filter[]): SqlFragment {
  const params: unknown[] = [];
  return { sql: whereWithSetFilters(filters, (rows) => rowsSql(rows, params)), params };
}

/** ORDER BY terms: keys present first, then by value, ties in insertion order. */
export function orderSql(sorts: readonly Sort[]): string {
  const terms: string[] = [];
  for (const { key, direction } of sorts) {
    const dir = direction === 1 ? "ASC" : "DESC";
    if (key === null) {
      terms.push(`runs.id ${dir}`);
      continue;
    }
    const { type, value } = accessor(key);
    if (specialColumn(key)) {
      terms.push(`(${value} IS NULL) ASC`, `${value} ${dir}`);
      continue;
    }
    // Types first, in the in-memory order (query/match.ts): booleans, numbers, strings, then
    // objects and arrays, which tie; JSON null sorts with the missing keys.
    const rank = `(CASE ${type} WHEN 'true' THEN 0 WHEN 'false' THEN 0 WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 ELSE 3 END)`;
    terms.push(
      `(${value} IS NULL) ASC`,
      `${rank} ${dir}`,
      `(CASE WHEN ${rank} < 3 THEN ${value} END) ${dir}`,
    );
  }
  terms.push("runs.id ASC");
  return terms.join(", ");
}
