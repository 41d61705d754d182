import { createReadStream } from "node:fs";
import { decode } from "@msgpack/msgpack";
import { FileFormatError } from "../errors.ts";
import { messageEnd } from "./message-end.ts";

/**
 * Replays a msgpack document file (concatenated `[name, doc]` arrays, as written by
 * createMsgpackSerializer or Python suitcase-msgpack), one message in memory at a time.
 * FileFormatError for a file that is not msgpack, holds something else, or ends mid-message.
 * @example for await (const [name, doc] of readMsgpack("run.msgpack")) callback(name, doc);
 */
export async function* readMsgpack(
  path: string,
): AsyncGenerator<[string, Record<string, unknown>]> {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  let offset = 0;
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream) {
      pending =
        pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
      let start = 0;
      for (
        let end = messageEnd(pending, start);
        end !== undefined;
        end = messageEnd(pending, start)
      ) {
        yield pair(decode(pending.subarray(start, end)), path, index++, offset + start);
        start = end;
      }
      pending = pending.subarray(start);
      offset += start;
    }
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new FileFormatError(`cannot read ${path} at message ${index}: ${reason}`, { cause: err });
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) {
    throw new FileFormatError(
      `${path} ends in the middle of message ${index} (${pending.length} bytes from byte ${offset}); the file is truncated`,
    );
  }
}

function pair(
  item: unknown,
  path: string,
  index: number,
  at: number,
): [string, Record<string, unknown>] {
  if (
    Array.isArray(item) &&
    item.length === 2 &&
    typeof item[0] === "string" &&
    typeof item[1] === "object" &&
    item[1] !== null &&
    !Array.isArray(item[1])
  ) {
    return [item[0], item[1] as Record<string, unknown>];
  }
  const text = JSON.stringify(item) ?? String(item);
  throw new FileFormatError(
    `${path}: message ${index} (byte ${at}) is not a [name, document] pair: ${text.slice(0, 80)}`,
  );
}
