// Publishers drop documents only when their bounded queue overflows; reporting every one would
// flood the log during a long outage, so the first drop of an episode is reported at once and
// the rest together when the episode ends (a document fits again, or the publisher closes).
import { type BusError, DocumentsDroppedError } from "./errors.ts";

/** Counts dropped documents per overflow episode. @internal */
export class DropReporter {
  #episode = 0;
  #total = 0;
  readonly #describe: () => string;
  readonly #onError: (error: BusError) => void;

  /** `describe` says where and why ("Redis publisher on X: 5 documents wait"). */
  constructor(describe: () => string, onError: (error: BusError) => void) {
    this.#describe = describe;
    this.#onError = onError;
  }

  /** Documents dropped since the publisher opened. */
  get total(): number {
    return this.#total;
  }

  /** Counts one dropped document of type `name`. */
  drop(name: string): void {
    this.#total++;
    if (this.#episode++ === 0) {
      this.#onError(
        new DocumentsDroppedError(
          1,
          `${this.#describe()}: dropped a ${name} document (queue full); further drops are counted until it drains`,
        ),
      );
    }
  }

  /** Ends an episode (a document was queued again, or the publisher closed). */
  settle(): void {
    const more = this.#episode - 1;
    this.#episode = 0;
    if (more > 0) {
      this.#onError(
        new DocumentsDroppedError(
          more,
          `${this.#describe()}: dropped ${more} more document${more === 1 ? "" : "s"} while the queue was full (${this.#total} in all)`,
        ),
      );
    }
  }
}
