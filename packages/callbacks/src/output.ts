/** Receives what Python's print() would receive: one call per print, without the final newline. */
export type LineSink = (text: string) => void;

/** Anything with a `write` method taking text, such as process.stdout or a file stream. */
export interface TextWritable {
  write(text: string): unknown;
}

/** Writes each printed text and a newline to standard output, as print() does. */
export const printToStdout: LineSink = (text) => {
  process.stdout.write(`${text}\n`);
};

/** A line sink for either a sink function or a writable stream (which gets text + "\n"). */
export function toLineSink(out: LineSink | TextWritable | undefined): LineSink {
  if (out === undefined) return printToStdout;
  if (typeof out === "function") return out;
  return (text) => {
    out.write(`${text}\n`);
  };
}
