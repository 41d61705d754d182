// Stream entries as Redis returns them (RESP2 arrays of Buffers) to documents, and back. Sans-IO.
import { isDocumentName, type NamedDocument } from "@cerulean/event-model";
import { decodeBody, isWireFormat } from "../codec/document-codec.ts";
import { BusDecodeError } from "../errors.ts";

/** One document read from a stream, with where it is. */
export interface StreamDocument {
  /** The Redis entry id ("1700000000000-0"): resume after it with `from: { after: id }`. */
  id: string;
  /** The entry's number in the stream (1, 2, 3...), when a Cerulean publisher wrote it. */
  seq: number | undefined;
  document: NamedDocument;
}

/** A raw entry: [id, [field, value, ...]] or [id, null] for an entry deleted while pending. */
export type RawEntry = [id: Buffer, fields: Buffer[] | null];

/** Narrows a reply to an array; throws BusDecodeError naming what was expected. */
export function replyArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new BusDecodeError(`unexpected Redis reply for ${what}: ${String(value).slice(0, 80)}`);
  }
  return value;
}

/** The text of a Buffer or string reply. */
export function replyText(value: unknown, what: string): string {
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new BusDecodeError(`unexpected Redis reply for ${what}: ${String(value).slice(0, 80)}`);
}

/** The entries of a reply that lists them ([[id, fields], ...]). */
export function replyEntries(value: unknown, what: string): RawEntry[] {
  return replyArray(value, what).map((entry) => {
    const [id, fields] = replyArray(entry, what);
    if (!Buffer.isBuffer(id) || !(fields === null || Array.isArray(fields))) {
      throw new BusDecodeError(`unexpected entry in the Redis reply for ${what}`);
    }
    return [id, fields as Buffer[] | null];
  });
}

/**
 * The entries of an XREAD / XREADGROUP reply for one stream (null: none). RESP2 answers
 * [[key, entries]]; RESP3 (ioredis 6's default) a map that ioredis flattens to [key, entries].
 */
export function readReplyEntries(value: unknown, what: string): RawEntry[] {
  if (value === null) return [];
  const reply = replyArray(value, what);
  const first = reply[0];
  const entries = Array.isArray(first) ? first[1] : reply[1];
  return replyEntries(entries, what);
}

/** Decodes an entry written by a Cerulean publisher (or any writer using the same fields). */
export function parseEntry([rawId, fields]: RawEntry): StreamDocument {
  const id = rawId.toString("latin1");
  if (fields === null) {
    throw new BusDecodeError(`stream entry ${id} was deleted (trimmed) before it was read`);
  }
  let seq: number | undefined;
  let name: string | undefined;
  let format = "msgpack";
  let body: Buffer | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const key = fields[i]?.toString("latin1");
    const value = fields[i + 1]!;
    if (key === "seq") seq = Number(value.toString("latin1"));
    else if (key === "name") name = value.toString("utf8");
    else if (key === "format") format = value.toString("latin1");
    else if (key === "doc") body = value;
  }
  if (!isDocumentName(name)) {
    throw new BusDecodeError(
      `stream entry ${id} has the document name ${JSON.stringify(name)}; expected a document name such as "start" or "event"`,
    );
  }
  if (body === undefined) throw new BusDecodeError(`stream entry ${id} has no "doc" field`);
  if (!isWireFormat(format)) {
    throw new BusDecodeError(
      `stream entry ${id} has format ${JSON.stringify(format)}; expected "msgpack" or "json"`,
    );
  }
  const doc = decodeBody(body, format);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new BusDecodeError(`the ${name} document of stream entry ${id} is not a map`);
  }
  return {
    id,
    seq: Number.isSafeInteger(seq) ? seq : undefined,
    document: [name, doc] as NamedDocument,
  };
}
