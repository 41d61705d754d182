// CSV text as spreadsheets and pandas read it (RFC 4180 quoting, "\n" line ends, UTF-8).
import { FileFormatError } from "../errors.ts";

/** One cell: numbers in shortest round-trip form, NaN/inf as pandas spells them, text quoted as needed. */
export function csvCell(value: unknown): string {
  switch (typeof value) {
    case "number":
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "True" : "False";
    case "string":
      return quote(value);
    case "undefined":
      return "";
    default:
      return value === null ? "" : quote(JSON.stringify(value));
  }
}

/** A CSV line (with its "\n") from cells. */
export function csvLine(cells: readonly unknown[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? "" : ",") + csvCell(cells[i]);
  return `${line}\n`;
}

function quote(text: string): string {
  // Leading/trailing spaces are quoted too, so that no reader trims them away.
  if (/[",\r\n]|^\s|\s$/.test(text) || text === "") return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/**
 * Parses CSV text (RFC 4180: quoted cells may hold commas, quotes and newlines) into rows. A
 * leading byte-order mark (as spreadsheet programs write) is ignored; text ending inside a quoted
 * cell is refused, since its last rows would be silently wrong.
 */
export function parseCsv(input: string): string[][] {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
    i++;
  }
  if (quoted) {
    throw new FileFormatError(
      `CSV text ends inside a quoted cell (row ${rows.length + 1}); expected a closing '"'`,
    );
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
