// Tiled's query string: filter[<name>][condition][<field>]=..., sort=, page[offset|limit|cursor].
// A repeated filter name stacks filters; their fields are zipped by position, as Tiled does.
import { HttpRequestError } from "../errors.ts";
import type { Query, ScanIdDuplicates, SortKey } from "../query/queries.ts";

export type QueryString = Record<string, string | string[] | undefined>;

/** The query names this server understands, as listed by the about document. */
export const QUERY_NAMES = [
  "fulltext",
  "lookup",
  "keys_filter",
  "eq",
  "noteq",
  "comparison",
  "contains",
  "in",
  "notin",
  "like",
  "keypresent",
  "regex",
  "specs",
  "structure_family",
  "scan_id",
  "scan_id_range",
  "partial_uid",
  "time_range",
] as const;

/** Filters that are not metadata queries: they select by key, spec or structure family. */
export interface NodeSelection {
  keys: string[] | null;
  specs: { include: string[]; exclude: string[] } | null;
  structureFamily: string | null;
}

const FILTER = /^filter\[(\w+)\]\[condition\]\[(\w+)\]$/;

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function json(text: string | undefined, what: string): unknown {
  if (text === undefined) throw new HttpRequestError(422, `${what} is missing`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpRequestError(422, `${what} must be JSON, got ${JSON.stringify(text)}`);
  }
}

/** JSON when it parses, else the raw text (for keys and time bounds that may be either). */
function jsonOrText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function required(p: Record<string, string>, field: string, name: string): string {
  const value = p[field];
  if (value === undefined)
    throw new HttpRequestError(422, `filter ${name} needs its ${field} field`);
  return value;
}

/** The raw duplicates field ("latest" when absent); toFilters refuses values it does not know. */
function duplicates(p: Record<string, string>): ScanIdDuplicates {
  return (jsonOrText(p["duplicates"]) ?? "latest") as ScanIdDuplicates;
}

function toQuery(name: string, p: Record<string, string>, selection: NodeSelection): Query | null {
  const key = () => required(p, "key", name);
  const value = () => json(p["value"], `filter ${name}: value`);
  switch (name) {
    case "fulltext":
      return { type: "fulltext", text: required(p, "text", name) };
    case "lookup":
      selection.keys = [...(selection.keys ?? []), required(p, "key", name)];
      return null;
    case "keys_filter":
      selection.keys = [
        ...(selection.keys ?? []),
        ...(json(p["keys"], "filter keys_filter: keys") as string[]),
      ];
      return null;
    case "eq":
    case "noteq":
    case "contains":
      return { type: name, key: key(), value: value() };
    case "in":
    case "notin": {
      const values = value();
      if (!Array.isArray(values))
        throw new HttpRequestError(422, `filter ${name}: value must be a JSON list`);
      return { type: name, key: key(), value: values };
    }
    case "comparison":
      return {
        type: "comparison",
        operator: required(p, "operator", name) as "lt",
        key: key(),
        value: value() as number,
      };
    case "like":
      return {
        type: "like",
        key: key(),
        pattern: String(jsonOrText(required(p, "pattern", name))),
      };
    case "keypresent":
      return {
        type: "keypresent",
        key: key(),
        exists: jsonOrText(p["exists"] ?? "true") !== false,
      };
    case "regex":
      return { type: "regex", key: key(), pattern: required(p, "pattern", name) };
    case "specs":
      selection.specs = {
        include: (jsonOrText(p["include"] ?? "[]") as string[]) ?? [],
        exclude: (jsonOrText(p["exclude"] ?? "[]") as string[]) ?? [],
      };
      return null;
    case "structure_family":
      selection.structureFamily = required(p, "value", name);
      return null;
    case "scan_id": {
      const ids = jsonOrText(required(p, "scan_ids", name));
      const scanIds = Array.isArray(ids) ? ids : String(ids).split(",").map(Number);
      return {
        type: "scan_id",
        scan_ids: scanIds as number[],
        duplicates: duplicates(p),
      };
    }
    case "scan_id_range":
      return {
        type: "scan_id_range",
        start_id: Number(required(p, "start_id", name)),
        end_id: Number(required(p, "end_id", name)),
        duplicates: duplicates(p),
      };
    case "partial_uid": {
      const ids = jsonOrText(required(p, "partial_uids", name));
      return {
        type: "partial_uid",
        partial_uids: (Array.isArray(ids) ? ids : String(ids).split(",")) as string[],
      };
    }
    case "time_range": {
      const bound = (field: string) => {
        const v = jsonOrText(p[field]);
        return v === undefined || v === null ? undefined : (v as number | string);
      };
      const timezone = p["timezone"] === "UTC" ? "UTC" : "local";
      return { type: "time_range", since: bound("since"), until: bound("until"), timezone };
    }
    default:
      throw new HttpRequestError(
        400,
        `unknown filter ${JSON.stringify(name)}; this server supports ${QUERY_NAMES.join(", ")}`,
      );
  }
}

/** The metadata queries and node selections in a query string. */
export function parseFilters(query: QueryString): { queries: Query[]; selection: NodeSelection } {
  const byName = new Map<string, Map<string, string[]>>();
  for (const [param, raw] of Object.entries(query)) {
    const match = FILTER.exec(param);
    if (!match) continue;
    const [, name, field] = match;
    const fields = byName.get(name!) ?? new Map<string, string[]>();
    fields.set(field!, list(raw));
    byName.set(name!, fields);
  }
  const selection: NodeSelection = { keys: null, specs: null, structureFamily: null };
  const queries: Query[] = [];
  for (const [name, fields] of byName) {
    const count = Math.max(...[...fields.values()].map((v) => v.length));
    for (let i = 0; i < count; i++) {
      const params: Record<string, string> = {};
      for (const [field, values] of fields) if (values[i] !== undefined) params[field] = values[i]!;
      const q = toQuery(name, params, selection);
      if (q) queries.push(q);
    }
  }
  return { queries, selection };
}

/** `sort=a,-b` (or repeated): "" alone is ignored; "-" alone reverses the default order. */
export function parseSort(query: QueryString): SortKey[] {
  const items = list(query["sort"]).flatMap((s) => s.split(","));
  const out: SortKey[] = [];
  for (const item of items) {
    if (item === "") continue;
    out.push(
      item.startsWith("-") ? { key: item.slice(1), direction: -1 } : { key: item, direction: 1 },
    );
  }
  return out;
}

/** page[offset], page[limit] (default 100, at most 300); a cursor with an offset is refused. */
export function parsePage(query: QueryString): { offset: number; limit: number } {
  const number = (name: string, fallback: number) => {
    const raw = list(query[name])[0];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new HttpRequestError(
        422,
        `${name} must be a non-negative integer, got ${JSON.stringify(raw)}`,
      );
    return n;
  };
  if (query["page[cursor]"] !== undefined && query["page[offset]"] !== undefined) {
    throw new HttpRequestError(400, "give page[offset] or page[cursor], not both");
  }
  const limit = number("page[limit]", 100);
  if (limit > 300)
    throw new HttpRequestError(422, `page[limit] is ${limit}; the most a page holds is 300`);
  return { offset: number("page[offset]", number("page[cursor]", 0)), limit };
}
