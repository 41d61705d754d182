// Input that is not a terminal (a pipe, a test) reaches the REPL one line per prompt, so that a
// plan typed on one line finishes before the next line is read, as it does at a terminal.

import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";

/** A stream giving the REPL the next line of `input` each time `next()` is called. */
export interface LineFeeder {
  stream: PassThrough;
  /** The REPL is ready for one more line (call it from its prompt). */
  next(): void;
  /** Stops reading `input` (the session ends before its input does). */
  close(): void;
}

/** Splits `input` into lines and hands them out one per `next()`, then ends. */
export function lineFeeder(input: NodeJS.ReadableStream): LineFeeder {
  const stream = new PassThrough();
  const queue: string[] = [];
  let ended = false;
  let ready = false;
  const pump = () => {
    if (!ready) return;
    const line = queue.shift();
    if (line !== undefined) {
      ready = false;
      stream.write(`${line}\n`);
    } else if (ended) {
      stream.end();
    }
  };
  const lines = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on("line", (line) => {
    queue.push(line);
    pump();
  });
  lines.on("close", () => {
    ended = true;
    pump();
  });
  return {
    stream,
    next: () => {
      ready = true;
      pump();
    },
    close: () => lines.close(),
  };
}
