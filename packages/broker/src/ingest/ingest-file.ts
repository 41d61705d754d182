// Loads stored document streams into a catalog: JSON lines (`[name, doc]` per line, as Python
// Bluesky's suitcase-jsonl writes, NaN tokens included) and msgpack (suitcase-msgpack).
import { open } from "node:fs/promises";
import { extname } from "node:path";
import type { DocumentName } from "@cerulean/event-model";
import { readDocuments } from "@cerulean/event-model";
import { readMsgpack } from "@cerulean/suitcase";
import type { Catalog } from "../catalog/catalog.ts";
import { IngestError } from "../errors.ts";

/** What an ingest did. */
export interface IngestSummary {
  /** Documents read from the source. */
  documents: number;
  /** Start documents among them. */
  runs: number;
  /** Documents that could not be stored, by position in the source (0-based), with why. */
  failures: { index: number; error: Error }[];
}

export type StoredFormat = "jsonl" | "msgpack";

/** Commit at least this often while ingesting, so memory stays bounded. */
const FLUSH_EVERY = 20_000;

/**
 * Stores every document of `docs` and waits until all are committed. Documents that fail are
 * reported in `failures`; the others are stored regardless.
 */
export async function ingestDocuments(
  catalog: Catalog,
  docs: AsyncIterable<readonly [string, unknown]> | Iterable<readonly [string, unknown]>,
): Promise<IngestSummary> {
  const summary: IngestSummary = { documents: 0, runs: 0, failures: [] };
  let pending: Promise<void>[] = [];
  const settle = async () => {
    await Promise.all(pending);
    pending = [];
  };
  for await (const [name, doc] of docs) {
    const index = summary.documents++;
    if (name === "start") summary.runs++;
    const written = catalog.write(name as DocumentName, doc).catch((error: Error) => {
      summary.failures.push({ index, error });
    });
    pending.push(written);
    if (pending.length >= FLUSH_EVERY) await settle();
  }
  await settle();
  summary.failures.sort((a, b) => a.index - b.index);
  return summary;
}

/** Guesses the format from the extension, else from the first byte. */
export async function detectFormat(path: string): Promise<StoredFormat> {
  const ext = extname(path).toLowerCase();
  if ([".jsonl", ".json", ".ndjson"].includes(ext)) return "jsonl";
  if ([".msgpack", ".mpk", ".msg"].includes(ext)) return "msgpack";
  const file = await open(path, "r").catch((err: Error) => {
    throw new IngestError(`cannot read ${path}: ${err.message}`, { cause: err });
  });
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(1), 0, 1, 0);
    if (bytesRead === 0)
      throw new IngestError(`${path} is empty; expected JSON lines or msgpack documents`);
    if (buffer[0] === 0x5b) return "jsonl";
    if (buffer[0] === 0x92 || buffer[0] === 0xdc) return "msgpack";
    throw new IngestError(
      `${path} is neither JSON lines ([name, doc] per line) nor msgpack documents`,
    );
  } finally {
    await file.close();
  }
}

/**
 * Ingests a JSON-lines or msgpack file. Throws IngestError if the file cannot be read or some
 * documents could not be stored (the others are stored; the error carries the summary).
 */
export async function ingestFile(
  catalog: Catalog,
  path: string,
  format?: StoredFormat,
): Promise<IngestSummary> {
  const kind = format ?? (await detectFormat(path));
  // readMsgpack also turns Python's msgpack-numpy arrays into nested arrays.
  const source = kind === "jsonl" ? readDocuments(path) : readMsgpack(path);
  let summary: IngestSummary;
  try {
    summary = await ingestDocuments(catalog, source);
  } catch (err) {
    throw new IngestError(`cannot ingest ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (summary.failures.length > 0) {
    const listed = summary.failures
      .slice(0, 3)
      .map((f) => `document ${f.index}: ${f.error.message}`)
      .join("; ");
    throw new IngestError(
      `${summary.failures.length} of ${summary.documents} documents in ${path} were not stored (${listed})`,
      {
        cause: summary,
      },
    );
  }
  return summary;
}
