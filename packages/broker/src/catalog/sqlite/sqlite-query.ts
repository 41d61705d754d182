// Filters and sorts compiled to SQLite SQL over the `runs` table (JSONB columns start/stop).
// Type checks go with every comparison so that "0" never equals 0, as in the in-memory matcher.
import { InvalidQueryError } from "../../errors.ts";
import type { Filter, KeyPath, Sort } from "../../query/filters.ts";

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
      params.push(JSON.stringify(value));
      return `(${typeExpr} IN ('object', 'array') AND ${valueExpr} = json(?))`;
  }
}

interface Accessor {
  type: string;
  value: string;
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
      return equalsSql(a.type, a.value, filter.value, params);
    }
    case "noteq": {
      const a = accessor(filter.key);
      return `(${a.type} IS NOT NULL AND NOT ${equalsSql(a.type, a.value, filter.value, params)})`;
    }
    case "in":
    case "notin": {
      const a = accessor(filter.key);
      const any =
        filter.values.length === 0
          ? "0"
          : `(${filter.values.map((v) => equalsSql(a.type, a.value, v, params)).join(" OR ")})`;
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
      const inner = equalsSql("e.type", "e.value", filter.value, params);
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
      return "runs.id = (SELECT max(r2.id) FROM runs AS r2 WHERE r2.scan_id = runs.scan_id)";
  }
}

/** The WHERE clause (without the keyword) for filters ANDed; "1" when there are none. */
export function whereSql(filters: readonly Filter[]): SqlFragment {
  const params: unknown[] = [];
  const parts = filters.map((f) => filterSql(f, params));
  return { sql: parts.length ? parts.join(" AND ") : "1", params };
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
    const { value } = accessor(key);
    terms.push(`(${value} IS NULL) ASC`, `${value} ${dir}`);
  }
  terms.push("runs.id ASC");
  return terms.join(", ");
}
