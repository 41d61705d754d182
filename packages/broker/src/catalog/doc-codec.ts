// Documents are stored as msgpack, not JSON: msgpack keeps NaN and ±Infinity (which Python
// Bluesky writes as bare NaN tokens) and integers versus floats exactly, so replay returns what
// was ingested. Search columns get a separate JSON copy.
import { Decoder, Encoder } from "@msgpack/msgpack";
import { CorruptDataError } from "../errors.ts";

const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder();

/** Encodes one document for storage. */
export function encodeDoc(doc: unknown): Uint8Array {
  return encoder.encode(doc);
}

/** Decodes a stored document; `what` names it in the error if the bytes are not msgpack. */
export function decodeDoc<T>(bytes: Uint8Array, what: string): T {
  try {
    return decoder.decode(bytes) as T;
  } catch (err) {
    throw new CorruptDataError(
      `stored ${what} cannot be decoded as msgpack: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** JSON for search columns: non-finite numbers become null (they cannot be searched for). */
export function searchJson(doc: unknown): string {
  return JSON.stringify(doc);
}
