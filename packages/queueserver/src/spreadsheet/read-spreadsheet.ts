// An uploaded spreadsheet as a table of cell texts: CSV as written, the first sheet of an Excel
// workbook (.xlsx) with each cell written as the Python literal of its value, so that both go
// through the same conversion into plan items.
import { parseCsv } from "@cerulean/suitcase";
import { readSheet } from "read-excel-file/node";
import { SpreadsheetError } from "../errors.ts";

const SUPPORTED = [".csv", ".xlsx"];

/** The rows of `fileName` (by its extension), every cell as text ("" when empty). */
export async function readSpreadsheet(
  fileName: string,
  content: Uint8Array | string,
): Promise<string[][]> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".csv")) {
    const text = typeof content === "string" ? content : Buffer.from(content).toString("utf8");
    try {
      return parseCsv(text);
    } catch (err) {
      throw new SpreadsheetError(`File '${fileName}' is not valid CSV: ${(err as Error).message}`);
    }
  }
  if (lower.endsWith(".xlsx")) {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    let rows: unknown[][];
    try {
      rows = await readSheet(bytes);
    } catch (err) {
      throw new SpreadsheetError(
        `File '${fileName}' is not a readable Excel workbook: ${(err as Error).message}`,
      );
    }
    return rows.map((row) => row.map(cellText));
  }
  throw new SpreadsheetError(
    `File '${fileName}' is not supported: supported extensions are ${JSON.stringify(SUPPORTED)}`,
  );
}

/** A typed Excel cell as the literal a CSV cell would hold: 2.5, True, "2026-11-24T...". */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return JSON.stringify(String(value));
}
