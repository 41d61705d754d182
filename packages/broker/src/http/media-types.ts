// Content negotiation as Tiled does it: `format=` (a media type, an alias, or a comma list)
// beats `Accept`; the first supported one wins; nothing supported is 406.
import { HttpRequestError } from "../errors.ts";

export const JSON_TYPE = "application/json";
export const MSGPACK = "application/x-msgpack";
export const JSON_SEQ = "application/json-seq";
export const OCTET = "application/octet-stream";
export const CSV = "text/csv";
export const ARROW = "application/vnd.apache.arrow.file";

/** What each structure family can be served as; the first is the default for `*\/*`. */
export const FORMATS = {
  array: [OCTET, JSON_TYPE, CSV, MSGPACK],
  table: [ARROW, JSON_TYPE, JSON_SEQ, CSV, MSGPACK],
  container: [JSON_SEQ, MSGPACK],
} as const;

export type Family = keyof typeof FORMATS;

/** Short names accepted in `format=`. */
export const ALIASES: Record<string, string> = {
  json: JSON_TYPE,
  msgpack: MSGPACK,
  csv: CSV,
  "text/x-comma-separated-values": CSV,
  "text/plain": CSV,
  "application/vnd.ms-excel": CSV,
  arrow: ARROW,
  feather: ARROW,
  octet: OCTET,
  bin: OCTET,
  "json-seq": JSON_SEQ,
  jsonl: JSON_SEQ,
};

/** The aliases per family and media type, for the about document. */
export function aliasesByFamily(): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [family, types] of Object.entries(FORMATS)) {
    const byType: Record<string, string[]> = {};
    for (const type of types) {
      const names = Object.entries(ALIASES)
        .filter(([alias, t]) => t === type && !alias.includes("/"))
        .map(([alias]) => alias);
      if (names.length) byType[type] = names;
    }
    out[family] = byType;
  }
  return out;
}

/** Picks the media type for a data response. */
export function negotiate(
  family: Family,
  format: string | undefined,
  accept: string | undefined,
): string {
  const supported: readonly string[] = FORMATS[family];
  const wanted = format
    ? format.split(",").map((t) => ALIASES[t.trim()] ?? t.trim())
    : (accept ?? "*/*").split(",").map((t) => t.split(";")[0]!.trim());
  for (const type of wanted) {
    if (type === "*/*" || type === "") return supported[0]!;
    if (supported.includes(type)) return type;
  }
  throw new HttpRequestError(
    406,
    `None of the media types requested by the client are supported. Supported: ${supported.join(", ")}. Requested: ${wanted.join(", ")}.`,
  );
}

/** JSON or msgpack for metadata routes; unknown types fall back to JSON. */
export function metadataType(accept: string | undefined): typeof JSON_TYPE | typeof MSGPACK {
  for (const type of (accept ?? JSON_TYPE).split(",").map((t) => t.split(";")[0]!.trim())) {
    if (type === MSGPACK) return MSGPACK;
    if (type === JSON_TYPE || type === "*/*") return JSON_TYPE;
  }
  return JSON_TYPE;
}
