import { FileTemplateError } from "../errors.ts";
import { formatNumber } from "./format-spec.ts";

/** The template used when none is given: the run's uid. */
export const DEFAULT_TEMPLATE = "{uid}";

/** Longest file-name stem a template may produce, in UTF-8 bytes (file systems allow 255). */
const MAX_STEM_BYTES = 200;

const FIELD = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;

/**
 * Fills a file-name template from a start document: `{scan_id}-{sample}`, nested members
 * `{sample[name]}`, Python suitcase's `{start[uid]}`, Python number formats `{scan_id:05d}`, `{x:+.2f}` and dates from
 * epoch seconds `{time:%Y-%m-%d_%H%M%S}` (UTC). Values are made safe for file names: path
 * separators, control characters, whitespace and characters Windows forbids become `_`.
 * @example fillTemplate("{scan_id}-{sample}", start) // "42-Si_111"
 */
export function fillTemplate(template: string, start: Record<string, unknown>): string {
  let out = "";
  let last = 0;
  for (const match of template.matchAll(FIELD)) {
    out += literal(template.slice(last, match.index), template);
    last = match.index + match[0].length;
    if (match[0] === "{{") out += "{";
    else if (match[0] === "}}") out += "}";
    else if (match[1] === undefined) {
      throw new FileTemplateError(
        `file template ${JSON.stringify(template)} has an unmatched "${match[0]}"; write {{ or }} for a literal brace`,
      );
    } else out += safeFileName(formatField(match[1], start, template));
  }
  out += literal(template.slice(last), template);
  if (out === "" || out === "." || out === "..") {
    throw new FileTemplateError(
      `file template ${JSON.stringify(template)} gives the unusable file name ${JSON.stringify(out)}`,
    );
  }
  if (Buffer.byteLength(out) > MAX_STEM_BYTES) {
    throw new FileTemplateError(
      `file template ${JSON.stringify(template)} gives a ${Buffer.byteLength(out)}-byte name; at most ${MAX_STEM_BYTES} bytes are allowed`,
    );
  }
  return out;
}

/** Replaces the characters that are unsafe in a file name with `_`. */
export function safeFileName(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  const cleaned = value.replace(/[\u0000-\u001f\u007f/\\:*?"<>|\s]/g, "_");
  return cleaned.replace(/^\.+$/, (dots) => "_".repeat(dots.length));
}

function literal(text: string, template: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[/\\\u0000-\u001f]/.test(text)) {
    throw new FileTemplateError(
      `file template ${JSON.stringify(template)} contains a path separator or control character in ${JSON.stringify(text)}; a template names a file, not a directory`,
    );
  }
  return text;
}

function formatField(field: string, start: Record<string, unknown>, template: string): string {
  const colon = field.indexOf(":");
  const path = colon < 0 ? field : field.slice(0, colon);
  const spec = colon < 0 ? "" : field.slice(colon + 1);
  const value = lookup(path.trim(), start, template);
  if (spec === "") return plainText(value, path, template);
  if (typeof value !== "number") {
    throw new FileTemplateError(
      `file template ${JSON.stringify(template)}: {${field}} applies a format to ${JSON.stringify(value)}, which is not a number`,
    );
  }
  const formatted = formatNumber(value, spec);
  if (formatted !== undefined) return formatted;
  if (/%[a-zA-Z%]/.test(spec)) return strftime(value, spec);
  throw new FileTemplateError(
    `file template ${JSON.stringify(template)}: unknown format "${spec}" in {${field}}; expected a Python number format (05d, +.2f, >6) or a strftime pattern such as %Y-%m-%d`,
  );
}

function lookup(path: string, start: Record<string, unknown>, template: string): unknown {
  const parts = /^([^[\]]+)((?:\[[^[\]]+\])*)$/.exec(path);
  if (!parts?.[1]) {
    throw new FileTemplateError(
      `file template ${JSON.stringify(template)}: {${path}} is not a key; expected {key} or {key[member]}`,
    );
  }
  const keys = [
    parts[1],
    ...[...(parts[2] ?? "").matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1] ?? ""),
  ];
  // Python suitcase formats with start=doc, so {start[uid]} means {uid}.
  if (keys[0] === "start" && keys.length > 1 && !("start" in start)) keys.shift();
  let value: unknown = start;
  let where = "the start document";
  for (const key of keys) {
    if (typeof value !== "object" || value === null || !(key in value)) {
      const available =
        typeof value === "object" && value !== null ? Object.keys(value).sort().join(", ") : "";
      throw new FileTemplateError(
        `file template ${JSON.stringify(template)} needs "${key}", which ${where} does not have` +
          (available ? ` (it has: ${available})` : ""),
      );
    }
    value = (value as Record<string, unknown>)[key];
    where = `start["${keys.slice(0, keys.indexOf(key) + 1).join('"]["')}"]`;
  }
  return value;
}

function plainText(value: unknown, path: string, template: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return value.join("_");
  }
  throw new FileTemplateError(
    `file template ${JSON.stringify(template)}: {${path}} is ${value === null ? "null" : typeof value === "object" ? "an object; index into it like {key[member]}" : `a ${typeof value}`}, not a string or number`,
  );
}

function strftime(epochSeconds: number, pattern: string): string {
  const date = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  const codes: Record<string, string> = {
    Y: String(date.getUTCFullYear()),
    m: two(date.getUTCMonth() + 1),
    d: two(date.getUTCDate()),
    H: two(date.getUTCHours()),
    M: two(date.getUTCMinutes()),
    S: two(date.getUTCSeconds()),
    "%": "%",
  };
  return pattern.replace(/%(.)/g, (whole, code: string) => codes[code] ?? whole);
}
