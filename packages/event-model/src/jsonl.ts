/**
 * JSON lines for document streams: one `[name, doc]` array per line, UTF-8, "\n" after each.
 *
 * Encoding (compatible with Python's `json.dumps`/`json.loads`, and so with suitcase-jsonl):
 * finite numbers, strings, booleans, null, arrays and objects are standard JSON and round-trip
 * exactly (key order included); non-finite floats are written as the bare tokens `NaN`,
 * `Infinity` and `-Infinity`, which Python writes and reads by default and which the reader
 * here accepts outside strings. Typed arrays and ndarray-likes are written as nested arrays.
 * Integers beyond ±2^53 written by Python lose precision when read, as any JS number would.
 */

import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { DocumentCallback, DocumentName, NamedDocument } from "./documents.ts";
import { DOCUMENT_NAMES, isDocumentName } from "./documents.ts";
import { EventModelValidationError, EventModelValueError } from "./errors.ts";
import { encodeJson, parseJson } from "./python-json.ts";
import { validateDocument } from "./validate.ts";

export interface ParseOptions {
  /** Validate every document against its schema (default false). */
  validate?: boolean;
}

/** One line (without the newline) holding `[name, doc]`; throws for an unknown document name. */
export function encodeDocumentLine(
  ...[name, doc]: NamedDocument | [name: DocumentName, doc: unknown]
): string {
  if (!isDocumentName(name)) {
    throw new EventModelValueError(
      `cannot write a document named ${JSON.stringify(name)}; expected one of ${DOCUMENT_NAMES.join(", ")}`,
    );
  }
  return encodeJson([name, doc]);
}

/** The JSON-lines text of a document stream, each line ending in "\n". */
export function serializeDocuments(docs: Iterable<readonly [DocumentName, unknown]>): string {
  let text = "";
  for (const [name, doc] of docs) text += `${encodeDocumentLine(name, doc)}\n`;
  return text;
}

/**
 * Parses one line into `[name, doc]`. Errors (EventModelValueError) name the line number and
 * what was wrong: invalid JSON (with the column), not a pair, an unknown name, a document that
 * is not an object, or (with `validate`) a schema problem.
 */
export function parseDocumentLine(
  line: string,
  lineNumber = 1,
  options: ParseOptions = {},
): NamedDocument {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch (error) {
    throw lineError(lineNumber, (error as Error).message, error);
  }
  if (!Array.isArray(value) || value.length !== 2) {
    throw lineError(lineNumber, `expected a [name, doc] pair, got ${preview(value)}`);
  }
  const [name, doc] = value as [unknown, unknown];
  if (!isDocumentName(name)) {
    throw lineError(
      lineNumber,
      `unknown document name ${preview(name)}; expected one of ${DOCUMENT_NAMES.join(", ")}`,
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw lineError(lineNumber, `the ${name} document must be a JSON object, got ${preview(doc)}`);
  }
  if (options.validate) {
    try {
      validateDocument(name, doc);
    } catch (error) {
      if (!(error instanceof EventModelValidationError)) throw error;
      throw lineError(lineNumber, error.message, error);
    }
  }
  return [name, doc] as NamedDocument;
}

/** Parses a whole JSON-lines text; blank lines are skipped. */
export function parseDocuments(text: string, options: ParseOptions = {}): NamedDocument[] {
  const docs: NamedDocument[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = cleanLine(lines[i]!, i);
    if (line !== "") docs.push(parseDocumentLine(line, i + 1, options));
  }
  return docs;
}

/** Reads `[name, doc]` pairs from a readable stream or a file path, line by line. */
export async function* readDocuments(
  source: Readable | string,
  options: ParseOptions = {},
): AsyncGenerator<NamedDocument, void, undefined> {
  const input = typeof source === "string" ? createReadStream(source, "utf8") : source;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let index = 0;
  try {
    for await (const raw of lines) {
      const line = cleanLine(raw, index++);
      if (line !== "") yield parseDocumentLine(line, index, options);
    }
  } finally {
    lines.close();
    if (typeof source === "string") input.destroy();
  }
}

export interface JsonlWriterOptions {
  /** Append to an existing file instead of replacing it (file paths only). */
  append?: boolean;
  /** End the stream on `close()` (default true; set false for process.stdout). */
  end?: boolean;
}

/**
 * Writes a document stream as JSON lines to a Writable or a file. `await write(name, doc)`
 * respects backpressure; `callback` suits synchronous emitters (Node buffers the lines). A
 * stream error fails the next `write`/`callback` call and `close()`.
 */
export class JsonlWriter {
  readonly callback: DocumentCallback;
  readonly #out: Writable;
  readonly #end: boolean;
  #error: Error | undefined;

  constructor(target: Writable | string, options: JsonlWriterOptions = {}) {
    this.#out =
      typeof target === "string"
        ? createWriteStream(target, { flags: options.append ? "a" : "w" })
        : target;
    this.#end = options.end ?? true;
    this.#out.on("error", (error: Error) => {
      this.#error ??= error;
    });
    this.callback = ((name: DocumentName, doc: unknown) => {
      this.#throwIfFailed();
      this.#out.write(`${encodeDocumentLine(name, doc)}\n`);
    }) as DocumentCallback;
  }

  /** Writes one document; resolves once the stream can take more. */
  async write(...[name, doc]: NamedDocument | [name: DocumentName, doc: unknown]): Promise<void> {
    this.#throwIfFailed();
    if (!this.#out.write(`${encodeDocumentLine(name, doc)}\n`)) await once(this.#out, "drain");
  }

  /** Flushes and (unless `end: false`) ends the stream; rejects if the stream failed. */
  async close(): Promise<void> {
    this.#throwIfFailed();
    if (!this.#end) return;
    this.#out.end();
    await finished(this.#out);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#error) throw this.#error;
  }
}

function cleanLine(line: string, index: number): string {
  let out = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (index === 0 && out.startsWith("\uFEFF")) out = out.slice(1);
  return out.trim() === "" ? "" : out;
}

function lineError(lineNumber: number, message: string, cause?: unknown): EventModelValueError {
  return new EventModelValueError(`line ${lineNumber}: ${message}`, { cause });
}

function preview(value: unknown): string {
  const text = encodePreview(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function encodePreview(value: unknown): string {
  try {
    return encodeJson(value);
  } catch {
    return String(value);
  }
}
