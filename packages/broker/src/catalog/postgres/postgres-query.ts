// Filters and sorts compiled to PostgreSQL over the `runs` table (jsonb columns start/stop).
// jsonb equality is already type-exact ("0" is not 0); string comparisons use the C collation so
// that they agree with SQLite and with JavaScript's order.
import type { Filter, KeyPath, Sort } from "../../query/filters.ts";
import { PREFIX_END } from "../sqlite/sqlite-query.ts";
import { whereWithSetFilters } from "../where-with-set-filters.ts";

/** A WHERE clause and its numbered parameters ($1, $2...). */
export interface PgFragment {
  sql: string;
  params: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ""): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
  json(value: unknown): string {
    return this.add(JSON.stringify(value), "::jsonb");
  }
}

function specialColumn(key: KeyPath): string | null {
  if (key.doc !== "start" || key.path.length !== 1) return null;
  const name = key.path[0];
  return name === "time" || name === "scan_id" ? `runs.${name}` : null;
}

/** A number compared with a special column; integers stay bigint so the scan_id index is used. */
function columnValue(column: string, value: number, p: Params): string {
  return p.add(
    value,
    column === "runs.scan_id" && Number.isSafeInteger(value) ? "::bigint" : "::float8",
  );
}

function value(key: KeyPath, p: Params): string {
  return `(runs.${key.doc} #> ${p.add(key.path, "::text[]")})`;
}

function equals(x: string, v: unknown, p: Params): string {
  return `${x} = ${p.json(v)}`;
}

function filterSql(filter: Filter, p: Params): string {
  switch (filter.op) {
    case "eq": {
      const column = specialColumn(filter.key);
      if (column)
        return typeof filter.value === "number"
          ? `${column} = ${columnValue(column, filter.value, p)}`
          : "false";
      const x = value(filter.key, p);
      // The containment test lets PostgreSQL use the GIN index; the equality makes it exact.
      const scalar = filter.value === null || typeof filter.value !== "object";
      const contained = scalar
        ? `runs.${filter.key.doc} @> ${p.json(nest(filter.key.path, filter.value))} AND `
        : "";
      return `(${contained}${equals(x, filter.value, p)})`;
    }
    case "noteq": {
      const x = value(filter.key, p);
      return `(${x} IS NOT NULL AND ${x} <> ${p.json(filter.value)})`;
    }
    case "in":
    case "notin": {
      const column = specialColumn(filter.key);
      if (column && filter.op === "in" && filter.values.every((v) => typeof v === "number")) {
        const integers =
          column === "runs.scan_id" && filter.values.every((v) => Number.isSafeInteger(v));
        return `${column} = ANY(${p.add(filter.values, integers ? "::bigint[]" : "::float8[]")})`;
      }
      if (filter.values.length === 0)
        return filter.op === "in" ? "false" : `${value(filter.key, p)} IS NOT NULL`;
      const x = value(filter.key, p);
      const list = `${x} = ANY(${p.add(
        filter.values.map((v) => JSON.stringify(v)),
        "::jsonb[]",
      )})`;
      return filter.op === "in" ? list : `(${x} IS NOT NULL AND NOT ${list})`;
    }
    case "comparison": {
      const op = { lt: "<", le: "<=", gt: ">", ge: ">=" }[filter.operator];
      const column = specialColumn(filter.key);
      if (column)
        return typeof filter.value === "number"
          ? `${column} ${op} ${columnValue(column, filter.value, p)}`
          : "false";
      const x = value(filter.key, p);
      if (typeof filter.value === "number") {
        // CASE, not AND: PostgreSQL may evaluate the cast before the type test.
        return `coalesce(CASE WHEN jsonb_typeof(${x}) = 'number' THEN (${x})::numeric ${op} ${p.add(filter.value)}::numeric END, false)`;
      }
      return `(jsonb_typeof(${x}) = 'string' AND (${x} #>> '{}') COLLATE "C" ${op} ${p.add(filter.value, "::text")})`;
    }
    case "contains": {
      const x = value(filter.key, p);
      return `(jsonb_typeof(${x}) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(${x}) AS e WHERE e = ${p.json(filter.value)}))`;
    }
    case "keypresent":
      return `${value(filter.key, p)} IS ${filter.exists ? "NOT " : ""}NULL`;
    case "like": {
      const x = value(filter.key, p);
      return `(jsonb_typeof(${x}) = 'string' AND (${x} #>> '{}') LIKE ${p.add(filter.pattern, "::text")} ESCAPE '')`;
    }
    case "fulltext":
      return `runs.fts @@ plainto_tsquery('simple', ${p.add(filter.words.join(" "), "::text")})`;
    case "uid_prefix":
      if (filter.prefixes.length === 0) return "false";
      return `(${filter.prefixes.map((x) => `(runs.uid >= ${p.add(x, "::text")} AND runs.uid < ${p.add(x + PREFIX_END, "::text")})`).join(" OR ")})`;
    case "latest_per_scan_id":
    case "duplicated_scan_id":
    case "unique_scan_id":
      throw new Error(`${filter.op} is a set-level filter; pgWhere compiles it`);
  }
}

function rowsSql(filters: readonly Filter[], p: Params): string {
  const parts = filters.map((f) => filterSql(f, p));
  return parts.length ? parts.join(" AND ") : "true";
}

function nest(path: readonly string[], leaf: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf);
}

/**
 * The WHERE clause for filters ANDed, numbering parameters from $1. Set-level filters are judged
 * among the runs matching the per-run filters; unique_scan_id is checked by the catalog.
 */
export function pgWhere(filters: readonly Filter[]): PgFragment {
  const p = new Params();
  return { sql: whereWithSetFilters(filters, (rows) => rowsSql(rows, p)), params: p.values };
}

/** ORDER BY terms; parameters continue the numbering of `params`. */
export function pgOrder(sorts: readonly Sort[], params: unknown[]): string {
  const p = new Params();
  p.values.push(...params);
  const terms: string[] = [];
  for (const { key, direction } of sorts) {
    const dir = direction === 1 ? "ASC" : "DESC";
    if (key === null) {
      terms.push(`runs.id ${dir}`);
      continue;
    }
    const column = specialColumn(key);
    if (column) {
      terms.push(`(${column} IS NULL) ASC`, `${column} ${dir}`);
      continue;
    }
    // jsonb alone orders strings before numbers before booleans and compares objects; rank the
    // types first as the in-memory order does (query/match.ts), objects and arrays tying.
    const x = `NULLIF(${value(key, p)}, 'null'::jsonb)`;
    const rank = `(CASE jsonb_typeof(${x}) WHEN 'boolean' THEN 0 WHEN 'number' THEN 1 WHEN 'string' THEN 2 ELSE 3 END)`;
    terms.push(
      `(${x} IS NULL) ASC`,
      `${rank} ${dir}`,
      `(CASE WHEN ${rank} < 3 THEN ${x} END) ${dir}`,
    );
  }
  terms.push("runs.id ASC");
  params.splice(0, params.length, ...p.values);
  return terms.join(", ");
}
