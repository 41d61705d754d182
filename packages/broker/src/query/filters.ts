// Queries reduced to a few primitive filters over the run's start and stop documents. Every
// storage backend compiles exactly these (and the in-memory matcher evaluates them), so the
// sugar (time ranges, scan ids, uid prefixes, unprefixed keys) is expanded once, here.
import { InvalidQueryError } from "../errors.ts";
import type { ComparisonOperator, Query, SortKey } from "./queries.ts";
import { toEpochSeconds } from "./time-parse.ts";

/** A path into the start or the stop document. */
export interface KeyPath {
  doc: "start" | "stop";
  /** Non-empty; one entry per level (`start.sample.name` → ["sample", "name"]). */
  path: readonly string[];
}

/** A primitive filter; a search is the AND of its filters. */
export type Filter =
  | { op: "eq" | "noteq"; key: KeyPath; value: unknown }
  | { op: "comparison"; operator: ComparisonOperator; key: KeyPath; value: number | string }
  | { op: "in" | "notin"; key: KeyPath; values: readonly unknown[] }
  | { op: "contains"; key: KeyPath; value: unknown }
  | { op: "keypresent"; key: KeyPath; exists: boolean }
  | { op: "like"; key: KeyPath; pattern: string }
  | { op: "fulltext"; words: readonly string[] }
  | { op: "uid_prefix"; prefixes: readonly string[] }
  /** Keeps, for each scan_id, only the latest inserted run among those the other filters match. */
  | { op: "latest_per_scan_id" }
  /** Keeps runs whose scan_id another run matching the other filters shares. */
  | { op: "duplicated_scan_id" }
  /** duplicates="error": the search fails when two matching runs share a scan_id. */
  | { op: "unique_scan_id" };

/** Filters that judge a run against the other runs matching the per-run filters. */
export type SetFilter = Extract<
  Filter,
  { op: "latest_per_scan_id" | "duplicated_scan_id" | "unique_scan_id" }
>;

/** True for the set-level filters (evaluated over the runs that pass every per-run filter). */
export function isSetFilter(filter: Filter): filter is SetFilter {
  return (
    filter.op === "latest_per_scan_id" ||
    filter.op === "duplicated_scan_id" ||
    filter.op === "unique_scan_id"
  );
}

/** A sort key resolved to a path; `null` is the catalog's insertion order. */
export interface Sort {
  key: KeyPath | null;
  direction: 1 | -1;
}

/** The shortest uid prefix accepted, as in databroker. */
export const MIN_UID_PREFIX = 5;

/** Resolves a dotted key: `start.x`/`stop.x` as given, anything else under `start`. */
export function keyPath(key: string): KeyPath {
  if (typeof key !== "string" || key === "") {
    throw new InvalidQueryError(`query key ${JSON.stringify(key)} must be a non-empty dotted path`);
  }
  const parts = key.split(".");
  if (parts.some((p) => p === "")) {
    throw new InvalidQueryError(`query key ${JSON.stringify(key)} has an empty path segment`);
  }
  const [head, ...rest] = parts;
  if ((head === "start" || head === "stop") && rest.length > 0) return { doc: head, path: rest };
  return { doc: "start", path: parts };
}

/** Splits full-text input into lower-cased words (letters and digits). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Expands queries into primitive filters; throws InvalidQueryError naming the bad query. */
export function toFilters(queries: readonly Query[]): Filter[] {
  return queries.flatMap(toFilter);
}

function toFilter(query: Query): Filter[] {
  switch (query.type) {
    case "eq":
    case "noteq":
      return [{ op: query.type, key: keyPath(query.key), value: jsonValue(query.value, query) }];
    case "comparison":
      if (!["lt", "le", "gt", "ge"].includes(query.operator)) {
        throw new InvalidQueryError(
          `comparison operator ${JSON.stringify(query.operator)} is not one of lt, le, gt, ge`,
        );
      }
      return [
        {
          op: "comparison",
          operator: query.operator,
          key: keyPath(query.key),
          value: comparable(query.value, query),
        },
      ];
    case "in":
    case "notin":
      if (!Array.isArray(query.value)) {
        throw new InvalidQueryError(
          `${query.type} on ${query.key} needs a list of values, got ${JSON.stringify(query.value)}`,
        );
      }
      return [
        {
          op: query.type,
          key: keyPath(query.key),
          values: query.value.map((v) => jsonValue(v, query)),
        },
      ];
    case "contains":
      return [{ op: "contains", key: keyPath(query.key), value: jsonValue(query.value, query) }];
    case "keypresent":
      return [{ op: "keypresent", key: keyPath(query.key), exists: query.exists !== false }];
    case "like":
      if (typeof query.pattern !== "string") {
        throw new InvalidQueryError(
          `like on ${query.key} needs a string pattern, got ${JSON.stringify(query.pattern)}`,
        );
      }
      return [{ op: "like", key: keyPath(query.key), pattern: query.pattern }];
    case "fulltext": {
      const found = words(String(query.text ?? ""));
      if (found.length === 0) {
        throw new InvalidQueryError(
          `full-text query ${JSON.stringify(query.text)} has no words to search for`,
        );
      }
      return [{ op: "fulltext", words: found }];
    }
    case "regex":
      throw new InvalidQueryError(
        `regex queries are not supported by this catalog (as on Tiled's SQL catalogs); use like, eq or fulltext instead of regex on ${query.key}`,
      );
    case "time_range":
      return timeRangeFilters(query);
    case "scan_id":
      return scanIdFilters(query);
    case "scan_id_range":
      return scanIdRangeFilters(query);
    case "partial_uid":
      return [{ op: "uid_prefix", prefixes: query.partial_uids.map(checkPrefix) }];
    default:
      throw new InvalidQueryError(
        `unknown query type ${JSON.stringify((query as { type: unknown }).type)}`,
      );
  }
}

const START_TIME = keyPath("start.time");
const SCAN_ID = keyPath("start.scan_id");

function timeRangeFilters(query: Extract<Query, { type: "time_range" }>): Filter[] {
  const since = query.since === undefined ? undefined : toEpochSeconds(query.since, query.timezone);
  const until = query.until === undefined ? undefined : toEpochSeconds(query.until, query.timezone);
  if (since !== undefined && until !== undefined && since > until) {
    throw new InvalidQueryError(
      `time range since ${JSON.stringify(query.since)} is after until ${JSON.stringify(query.until)}`,
    );
  }
  const out: Filter[] = [];
  if (since !== undefined)
    out.push({ op: "comparison", operator: "ge", key: START_TIME, value: since });
  if (until !== undefined)
    out.push({ op: "comparison", operator: "lt", key: START_TIME, value: until });
  return out;
}

function scanIdFilters(query: Extract<Query, { type: "scan_id" }>): Filter[] {
  const ids = query.scan_ids.map((id) => integer(id, "scan_id"));
  return [{ op: "in", key: SCAN_ID, values: ids }, ...duplicatesFilters(query.duplicates)];
}

function scanIdRangeFilters(query: Extract<Query, { type: "scan_id_range" }>): Filter[] {
  const start = integer(query.start_id, "start_id");
  const end = integer(query.end_id, "end_id");
  return [
    { op: "comparison", operator: "ge", key: SCAN_ID, value: start },
    { op: "comparison", operator: "lt", key: SCAN_ID, value: end },
    ...duplicatesFilters(query.duplicates),
  ];
}

function duplicatesFilters(duplicates: unknown): Filter[] {
  switch (duplicates ?? "latest") {
    case "latest":
      return [{ op: "latest_per_scan_id" }];
    case "all":
      return [];
    case "error":
      return [{ op: "unique_scan_id" }];
    default:
      throw new InvalidQueryError(
        `duplicates ${JSON.stringify(duplicates)} is not one of "latest", "all", "error"`,
      );
  }
}

function checkPrefix(prefix: string): string {
  if (typeof prefix !== "string" || prefix.length < MIN_UID_PREFIX) {
    throw new InvalidQueryError(
      `uid prefix ${JSON.stringify(prefix)} is too short; give at least ${MIN_UID_PREFIX} characters`,
    );
  }
  return prefix;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new InvalidQueryError(`${what} must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function comparable(value: unknown, query: Query): number | string {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))
    return value;
  throw new InvalidQueryError(
    `${query.type} query needs a finite number or a string to compare with, got ${JSON.stringify(value)}`,
  );
}

function jsonValue(value: unknown, query: Query): unknown {
  if (
    value === undefined ||
    typeof value === "function" ||
    typeof value === "symbol" ||
    typeof value === "bigint"
  ) {
    throw new InvalidQueryError(
      `${query.type} query has a value that is not JSON: ${String(value)}`,
    );
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new InvalidQueryError(
      `${query.type} query value ${value} cannot be searched for (not finite)`,
    );
  }
  return value;
}

/** Resolves sort keys; throws on a duplicate key, as Tiled does (HTTP 400). */
export function toSorts(keys: readonly SortKey[]): Sort[] {
  const seen = new Set<string>();
  const out: Sort[] = [];
  for (const { key, direction } of keys) {
    if (direction !== 1 && direction !== -1) {
      throw new InvalidQueryError(
        `sort direction must be 1 or -1, got ${JSON.stringify(direction)} for ${JSON.stringify(key)}`,
      );
    }
    const path = key === "" ? null : keyPath(key);
    const id = path === null ? "" : `${path.doc}.${path.path.join(".")}`;
    if (seen.has(id)) throw new InvalidQueryError(`sort key ${JSON.stringify(key)} is given twice`);
    seen.add(id);
    out.push({ key: path, direction });
  }
  return out;
}
