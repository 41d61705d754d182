// Console output of the manager and the worker: a ring of messages with uids, for
// /api/console_output, /api/console_output_update polling and the console WebSocket.
import { randomUUID } from "node:crypto";

export interface ConsoleMessage {
  uid: string;
  time: number;
  msg: string;
}

/** Keeps the last `capacity` console messages, and at most `maxBytes` bytes of their text. */
export class ConsoleBuffer {
  readonly #messages: ConsoleMessage[] = [];
  /** UTF-8 size of each message's text, in step with #messages. */
  readonly #sizes: number[] = [];
  readonly #capacity: number;
  readonly #maxBytes: number;
  #bytes = 0;
  readonly #listeners = new Set<(m: ConsoleMessage) => void>();
  #uid = randomUUID();

  // 2000 messages as upstream; the byte bound because a worker's stdout chunks reach 64 KB each.
  constructor(capacity = 2000, maxBytes = 2 * 1024 * 1024) {
    this.#capacity = capacity;
    this.#maxBytes = maxBytes;
  }

  /** Changes whenever text is added. */
  get uid(): string {
    return this.#uid;
  }

  push(text: string): void {
    const msg = fitText(text, this.#maxBytes);
    const size = Buffer.byteLength(msg);
    const message = { uid: randomUUID(), time: Date.now() / 1000, msg };
    this.#messages.push(message);
    this.#sizes.push(size);
    this.#bytes += size;
    // Oldest first; the newest message always stays (fitText made it fit).
    while (
      this.#messages.length > 1 &&
      (this.#messages.length > this.#capacity || this.#bytes > this.#maxBytes)
    ) {
      this.#messages.shift();
      this.#bytes -= this.#sizes.shift() ?? 0;
    }
    this.#uid = randomUUID();
    for (const listener of this.#listeners) listener(message);
  }

  /** The last `nlines` lines of text. */
  text(nlines = 200): string {
    const lines = this.#messages
      .map((m) => m.msg)
      .join("")
      .split("\n");
    if (lines.at(-1) === "") lines.pop();
    const tail = lines.slice(-Math.max(0, nlines));
    return tail.length ? `${tail.join("\n")}\n` : "";
  }

  /** Messages after `lastUid` ("ALL": everything; unknown uid: none). */
  since(lastUid: string): {
    last_msg_uid: string;
    console_output_msgs: ConsoleMessage[];
  } {
    const last = this.#messages.at(-1)?.uid ?? "";
    let from: number;
    if (lastUid === "ALL") from = 0;
    else {
      const index = this.#messages.findIndex((m) => m.uid === lastUid);
      from = index < 0 ? this.#messages.length : index + 1;
    }
    return {
      last_msg_uid: last,
      // Each with its uid too (beyond upstream's {time, msg}), as the console WebSocket's frames.
      console_output_msgs: this.#messages
        .slice(from)
        .map(({ time, msg, uid }) => ({ time, msg, uid })),
    };
  }

  subscribe(listener: (m: ConsoleMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * `text` if it fits in `maxBytes` of UTF-8, else its end (the latest output) after a line
 * saying how much was dropped.
 */
export function fitText(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair: 4 bytes for 2 units).
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  const dropped = (n: number) => `[... ${n} characters of console output dropped ...]\n`;
  let keep = Math.max(0, Math.floor((maxBytes - dropped(text.length).length) / 3));
  // Not from the middle of a surrogate pair.
  const lowSurrogate = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff;
  };
  if (keep > 0 && lowSurrogate(text.length - keep)) keep -= 1;
  return `${dropped(text.length - keep)}${text.slice(text.length - keep)}`;
}
