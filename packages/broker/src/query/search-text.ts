import { words } from "./filters.ts";

/**
 * The words full-text search finds a run by: every word of every string value (at any depth) of
 * its start and stop documents, lower-cased, each once, space-separated. Both backends index this
 * one string, so they tokenize alike.
 */
export function searchText(...docs: readonly unknown[]): string {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === "string") {
      for (const word of words(value)) found.add(word);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (typeof value === "object" && value !== null) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  for (const doc of docs) visit(doc, 0);
  return [...found].join(" ");
}
