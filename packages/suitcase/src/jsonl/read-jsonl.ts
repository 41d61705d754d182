import type { NamedDocument } from "@cerulean/event-model";
import { readDocuments } from "@cerulean/event-model";

/**
 * Replays a JSON-lines document file line by line (event-model's reader, which accepts Python's
 * NaN/Infinity), the counterpart of createJsonlSerializer and readMsgpack.
 */
export function readJsonl(path: string): AsyncGenerator<NamedDocument, void, undefined> {
  return readDocuments(path);
}
