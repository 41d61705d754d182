// The default spreadsheet conversion of bluesky-queueserver, for CSV files: the first column
// holds plan names, the second the positional arguments (`['det'], 'motor', -1, 1`), the others
// keyword arguments named by the header; cells are Python literals and empty cells are absent.
import { parseCsv } from "@cerulean/suitcase";
import { SpreadsheetError } from "../errors.ts";
import { parsePythonArgs, parsePythonLiteral } from "./python-literal.ts";

/** A plan item read from a row. */
export interface SpreadsheetItem {
  item_type: "plan";
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** Converts an uploaded spreadsheet (`.csv`) into plan items. */
export function spreadsheetToItems(fileName: string, content: string): SpreadsheetItem[] {
  if (!fileName.toLowerCase().endsWith(".csv")) {
    throw new SpreadsheetError(
      `File '${fileName}' is not supported: supported extensions are ['.csv'] (save Excel sheets as CSV)`,
    );
  }
  let table: string[][];
  try {
    table = parseCsv(content);
  } catch (err) {
    throw new SpreadsheetError(`File '${fileName}' is not valid CSV: ${(err as Error).message}`);
  }
  const [header, ...rows] = table;
  if (!header || header.length < 1 || header[0]?.trim() === "")
    throw new SpreadsheetError("Spreadsheet is expected to have at least 1 column (plan name)");
  const items: SpreadsheetItem[] = [];
  rows.forEach((row, r) => {
    if (row.every((c) => c.trim() === "")) return;
    const at = (c: number) => `row ${r + 2}, column '${header[c]}'`;
    const cell = (c: number, parse: (s: string) => unknown) => {
      try {
        return parse(row[c] ?? "");
      } catch (err) {
        throw new SpreadsheetError(`${at(c)}: ${(err as Error).message}`);
      }
    };
    const name = cell(0, parsePythonLiteral);
    if (typeof name !== "string" || name === "")
      throw new SpreadsheetError(
        `${at(0)}: plan name must be a string, got ${JSON.stringify(row[0])}`,
      );
    const args = (row[1] ?? "").trim() === "" ? [] : (cell(1, parsePythonArgs) as unknown[]);
    const kwargs: Record<string, unknown> = {};
    for (let c = 2; c < header.length; c++) {
      if ((row[c] ?? "").trim() !== "")
        kwargs[(header[c] as string).trim()] = cell(c, parsePythonLiteral);
    }
    items.push({ item_type: "plan", name, args, kwargs });
  });
  return items;
}
