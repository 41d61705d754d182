import { type Filter, isSetFilter } from "../query/filters.ts";

/**
 * The WHERE conditions (ANDed) for `filters` in either SQL dialect: the per-run filters, then the
 * set-level ones judged among the runs matching the per-run filters (their subqueries repeat
 * them, so `rowsSql` is called once per use; each call adds its own parameters).
 * unique_scan_id is not a condition: the catalog checks it before searching.
 */
export function whereWithSetFilters(
  filters: readonly Filter[],
  rowsSql: (rows: readonly Filter[]) => string,
): string {
  const rows = filters.filter((f) => !isSetFilter(f));
  const parts = [rowsSql(rows)];
  const ops = new Set(filters.filter(isSetFilter).map((f) => f.op));
  if (ops.has("latest_per_scan_id"))
    parts.push(
      `runs.id IN (SELECT max(runs.id) FROM runs WHERE runs.scan_id IS NOT NULL AND ${rowsSql(rows)} GROUP BY runs.scan_id)`,
    );
  if (ops.has("duplicated_scan_id"))
    parts.push(
      `runs.scan_id IN (SELECT runs.scan_id FROM runs WHERE runs.scan_id IS NOT NULL AND ${rowsSql(rows)} GROUP BY runs.scan_id HAVING count(*) > 1)`,
    );
  return parts.join(" AND ");
}
