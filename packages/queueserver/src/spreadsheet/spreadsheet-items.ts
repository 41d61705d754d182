// The default spreadsheet conversion of bluesky-queueserver, for CSV files and Excel workbooks:
// the first column holds plan names, the second the positional arguments (`['det'], 'motor',
// -1, 1`), the others keyword arguments named by the header; cells are Python literals (a plan
// name may also be written bare) and empty cells are absent. Nothing is ever evaluated.
import { SpreadsheetError } from "../errors.ts";
import { parsePythonArgs, parsePythonLiteral } from "./python-literal.ts";
import { readSpreadsheet } from "./read-spreadsheet.ts";

/** A plan item read from a row. */
export interface SpreadsheetItem {
  item_type: "plan";
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** A plan name as people type it in a sheet: `count`, or the literal `'count'`. */
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Converts an uploaded spreadsheet (`.csv`, or the first sheet of `.xlsx`) into plan items. */
export async function spreadsheetToItems(
  fileName: string,
  content: Uint8Array | string,
): Promise<SpreadsheetItem[]> {
  return tableToItems(await readSpreadsheet(fileName, content));
}

/** Converts a table of cell texts (the header row first) into plan items. */
export function tableToItems(table: string[][]): SpreadsheetItem[] {
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
    const name = cell(0, (text) =>
      BARE_NAME.test(text.trim()) && !["True", "False", "None"].includes(text.trim())
        ? text.trim()
        : parsePythonLiteral(text),
    );
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
