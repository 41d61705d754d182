// Console output of the manager and the worker: a ring of messages with uids, for
// /api/console_output, /api/console_output_update polling and the console WebSocket.
import { randomUUID } from "node:crypto";

export interface ConsoleMessage {
  uid: string;
  time: number;
  msg: string;
}

/** Keeps the last `capacity` console messages. */
export class ConsoleBuffer {
  readonly #messages: ConsoleMessage[] = [];
  readonly #capacity: number;
  readonly #listeners = new Set<(m: ConsoleMessage) => void>();
  #uid = randomUUID();

  constructor(capacity = 2000) {
    this.#capacity = capacity;
  }

  /** Changes whenever text is added. */
  get uid(): string {
    return this.#uid;
  }

  push(msg: string): void {
    const message = { uid: randomUUID(), time: Date.now() / 1000, msg };
    this.#messages.push(message);
    if (this.#messages.length > this.#capacity) this.#messages.shift();
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
