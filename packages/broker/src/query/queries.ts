// The run queries, named and shaped like Tiled's (and bluesky-tiled-plugins') so that one query
// travels unchanged from a TypeScript caller, through the HTTP filters, to SQL.

/** `lt`, `le`, `gt` or `ge`, as in Tiled's Comparison query. */
export type ComparisonOperator = "lt" | "le" | "gt" | "ge";

/** How a scan_id query treats several runs sharing one scan_id. */
export type ScanIdDuplicates = "latest" | "all" | "error";

/**
 * One search condition. Keys are dotted metadata paths: `start.plan_name`, `stop.exit_status`;
 * a key without a `start.` or `stop.` prefix means `start.<key>`, as in databroker.
 */
export type Query =
  | { type: "eq"; key: string; value: unknown }
  | { type: "noteq"; key: string; value: unknown }
  | { type: "comparison"; operator: ComparisonOperator; key: string; value: number | string }
  | { type: "in"; key: string; value: readonly unknown[] }
  | { type: "notin"; key: string; value: readonly unknown[] }
  | { type: "contains"; key: string; value: unknown }
  | { type: "keypresent"; key: string; exists: boolean }
  | { type: "like"; key: string; pattern: string }
  | { type: "fulltext"; text: string }
  | { type: "regex"; key: string; pattern: string; case_sensitive?: boolean }
  | { type: "time_range"; since?: number | string; until?: number | string; timezone?: TimeZone }
  | { type: "scan_id"; scan_ids: readonly number[]; duplicates?: ScanIdDuplicates }
  | { type: "scan_id_range"; start_id: number; end_id: number; duplicates?: ScanIdDuplicates }
  | { type: "partial_uid"; partial_uids: readonly string[] };

/** How time strings in a time_range are read: the machine's zone (default) or UTC. */
export type TimeZone = "local" | "UTC";

/** A sort key: a dotted metadata path ("" for the catalog's insertion order) and a direction. */
export interface SortKey {
  key: string;
  direction: 1 | -1;
}

/** `key == value` (type-exact: the string "0" does not equal the number 0). */
export function eq(key: string, value: unknown): Query {
  return { type: "eq", key, value };
}

/** `key != value`; runs without the key do not match. */
export function notEq(key: string, value: unknown): Query {
  return { type: "noteq", key, value };
}

/** `key <operator> value`, comparing numbers with numbers and strings with strings. */
export function comparison(
  operator: ComparisonOperator,
  key: string,
  value: number | string,
): Query {
  return { type: "comparison", operator, key, value };
}

/** `key` equals one of `values`; an empty list matches nothing. */
export function inList(key: string, values: readonly unknown[]): Query {
  return { type: "in", key, value: values };
}

/** `key` equals none of `values`; an empty list matches every run that has the key. */
export function notIn(key: string, values: readonly unknown[]): Query {
  return { type: "notin", key, value: values };
}

/** The list at `key` contains `value`. */
export function contains(key: string, value: unknown): Query {
  return { type: "contains", key, value };
}

/** The key is present (or absent, with `exists` false). */
export function keyPresent(key: string, exists = true): Query {
  return { type: "keypresent", key, exists };
}

/** SQL LIKE on a string key: `%` any run of characters, `_` one character. */
export function like(key: string, pattern: string): Query {
  return { type: "like", key, pattern };
}

/** Every word of `text` appears in the run's metadata (start and stop strings), any case. */
export function fullText(text: string): Query {
  return { type: "fulltext", text };
}

/**
 * Runs that started in [since, until): epoch seconds, or local-time strings like "2024-05-01",
 * "2024-05-01 13:00" (databroker's formats).
 */
export function timeRange(range: {
  since?: number | string;
  until?: number | string;
  timezone?: TimeZone;
}): Query {
  return { type: "time_range", ...range };
}

/** Runs with one of these scan_ids; by default only the latest run per scan_id. */
export function scanId(...ids: number[]): Query {
  return { type: "scan_id", scan_ids: ids, duplicates: "latest" };
}

/** Runs with start_id <= scan_id < end_id; by default only the latest run per scan_id. */
export function scanIdRange(
  startId: number,
  endId: number,
  duplicates: ScanIdDuplicates = "latest",
): Query {
  return { type: "scan_id_range", start_id: startId, end_id: endId, duplicates };
}

/** Runs whose uid starts with one of these prefixes (each at least 5 characters). */
export function partialUid(...prefixes: string[]): Query {
  return { type: "partial_uid", partial_uids: prefixes };
}
