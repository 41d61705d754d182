import { createReadStream } from "node:fs";
import { msgpackMapKey, reviveMsgpackNumpy, safeIntegersAsNumbers } from "@cerulean/event-model";
import { decode } from "@msgpack/msgpack";
import { FileFormatError } from "../errors.ts";
import { continueScan, type MessageScan, startScan } from "./message-end.ts";

/**
 * Replays a msgpack document file (concatenated `[name, doc]` arrays, as written by
 * createMsgpackSerializer or Python suitcase-msgpack, whose msgpack_numpy arrays come back as
 * nested arrays of numbers), one message in memory at a time.
 * FileFormatError for a file that is not msgpack, holds something else, or ends mid-message.
 * @example for await (const [name, doc] of readMsgpack("run.msgpack")) callback(name, doc);
 */
export async function* readMsgpack(
  path: string,
): AsyncGenerator<[string, Record<string, unknown>]> {
  const buffer = new GrowingBuffer();
  let scan: MessageScan = startScan(0);
  let index = 0;
  let offset = 0;
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream) {
      buffer.append(chunk as Buffer);
      const bytes = buffer.bytes();
      let start = 0;
      while (continueScan(bytes, scan)) {
        // A copy: decoded binary values are views of their input, which the buffer reuses.
        const message = new Uint8Array(bytes.subarray(start, scan.pos));
        // Every message is revived: msgpack-numpy under an old msgpack writes its keys as str.
        const item = decode(message, { mapKeyConverter: msgpackMapKey, useBigInt64: true });
        yield pair(
          reviveMsgpackNumpy(safeIntegersAsNumbers(item, message)),
          path,
          index++,
          offset + start,
        );
        start = scan.pos;
        scan = startScan(start);
      }
      buffer.dropFront(start);
      offset += start;
      scan.pos -= start;
    }
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new FileFormatError(`cannot read ${path} at message ${index}: ${reason}`, { cause: err });
  } finally {
    stream.destroy();
  }
  if (buffer.length > 0) {
    throw new FileFormatError(
      `${path} ends in the middle of message ${index} (${buffer.length} bytes from byte ${offset}); the file is truncated`,
    );
  }
}

/** Bytes read but not yet decoded; grows by doubling, so a large message costs linear time. */
class GrowingBuffer {
  #data = Buffer.alloc(64 * 1024);
  length = 0;

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.#data.length) {
      const grown = Buffer.alloc(Math.max(2 * this.#data.length, this.length + chunk.length));
      this.#data.copy(grown, 0, 0, this.length);
      this.#data = grown;
    }
    this.#data.set(chunk, this.length);
    this.length += chunk.length;
  }

  bytes(): Buffer {
    return this.#data.subarray(0, this.length);
  }

  dropFront(count: number): void {
    if (count === 0) return;
    this.#data.copyWithin(0, count, this.length);
    this.length -= count;
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
