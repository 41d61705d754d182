// Ctrl-C as Bluesky users know it: one press asks for a pause at the next checkpoint, a second
// press within the window pauses at once. The engine exposes the logic; the CLI wires SIGINT.
import type { EngineState } from "./state-machine.ts";

/** What an interrupt handler drives. */
export interface InterruptTarget {
  readonly state: EngineState;
  requestPause(options?: { defer?: boolean }): void;
}

/** What a press did. */
export type InterruptAction = "deferred-pause" | "immediate-pause" | "ignored";

export interface InterruptOptions {
  /** Seconds within which a second press pauses at once (Bluesky: 10). */
  windowSeconds?: number;
  /** Presses without effect after which `onGiveUp` is called (Bluesky: 10). */
  maxPresses?: number;
  /** Where messages go (default: console.error). */
  print?: (line: string) => void;
  /** Called when the engine seems stuck (many presses, no effect). */
  onGiveUp?: () => void;
  /** The clock in milliseconds (tests). */
  now?: () => number;
}

/** Counts interrupt presses and turns them into deferred or immediate pauses. */
export class InterruptHandler {
  #count = 0;
  #last = Number.NEGATIVE_INFINITY;
  #ignored = 0;
  readonly #window: number;
  readonly #print: (line: string) => void;
  readonly #now: () => number;

  constructor(
    private readonly target: InterruptTarget,
    private readonly options: InterruptOptions = {},
  ) {
    this.#window = (options.windowSeconds ?? 10) * 1000;
    this.#print = options.print ?? ((line) => console.error(line));
    this.#now = options.now ?? Date.now;
  }

  /** Handles one Ctrl-C. */
  press(): InterruptAction {
    const now = this.#now();
    if (this.target.state !== "running") {
      if (++this.#ignored >= (this.options.maxPresses ?? 10)) this.options.onGiveUp?.();
      return "ignored";
    }
    this.#ignored = 0;
    if (now - this.#last > this.#window) this.#count = 0;
    this.#last = now;
    this.#count++;
    try {
      if (this.#count === 1) {
        this.target.requestPause({ defer: true });
        this.#print(
          `A 'deferred pause' has been requested. The RunEngine will pause at the next checkpoint. To pause immediately, hit Ctrl+C again in the next ${this.#window / 1000} seconds.`,
        );
        return "deferred-pause";
      }
      this.target.requestPause({ defer: false });
      this.#print("Pausing immediately...");
      return "immediate-pause";
    } catch {
      // A state change raced the press (e.g. the plan just ended): nothing to do.
      return "ignored";
    }
  }

  /** Forgets earlier presses (a new call). */
  reset(): void {
    this.#count = 0;
    this.#last = Number.NEGATIVE_INFINITY;
    this.#ignored = 0;
  }
}

/** The part of `process` used to listen for SIGINT (an interface, so tests can pass their own). */
export interface SignalSource {
  on(signal: "SIGINT", listener: () => void): unknown;
  off(signal: "SIGINT", listener: () => void): unknown;
}

/**
 * Routes SIGINT to an InterruptHandler until the returned function is called. When presses stop
 * having an effect, the listener removes itself and the next Ctrl-C ends the process as usual.
 */
export function handleSigint(
  target: InterruptTarget,
  options: InterruptOptions = {},
  source: SignalSource = process,
): () => void {
  const listener = () => {
    handler.press();
  };
  const remove = () => {
    source.off("SIGINT", listener);
  };
  const handler = new InterruptHandler(target, {
    ...options,
    onGiveUp: () => {
      remove();
      options.onGiveUp?.();
    },
  });
  source.on("SIGINT", listener);
  return remove;
}
