// How the loop is woken from an await: a pause or suspension wakes it only from messages that
// merely wait; stop, abort and halt wake it from anything.
import { type Deferred, deferred } from "./deferred.ts";

/** What an abandoned await resolves to. */
export const INTERRUPTED: unique symbol = Symbol("interrupted");

const noop = () => {};

/** The interruption flags of a loop, and the races that let them cut an await short. */
export class InterruptLatch {
  /** Set by any interruption; the loop clears it when it looks at the engine state. */
  pending = false;
  /** Set by stop/abort/halt; cleared once the loop threw the control exception in. */
  control = false;
  #wake: Deferred<typeof INTERRUPTED> | null = null;
  #wakeControl: Deferred<typeof INTERRUPTED> | null = null;

  /** Raises the flags and wakes whatever await they concern. */
  raise(control: boolean): void {
    this.pending = true;
    const wake = this.#wake;
    this.#wake = null;
    wake?.resolve(INTERRUPTED);
    if (!control) return;
    this.control = true;
    const wakeControl = this.#wakeControl;
    this.#wakeControl = null;
    wakeControl?.resolve(INTERRUPTED);
  }

  /**
   * `p`, or INTERRUPTED if an interruption comes first: any interruption when `abandonable`,
   * else only stop/abort/halt. An abandoned `p` keeps running; its failure is swallowed.
   */
  race(p: Promise<unknown>, abandonable: boolean): Promise<unknown> {
    if (this.control || (abandonable && this.pending)) {
      p.then(noop, noop);
      return Promise.resolve(INTERRUPTED);
    }
    if (abandonable) {
      this.#wake ??= deferred();
      return Promise.race([p, this.#wake.promise]);
    }
    this.#wakeControl ??= deferred();
    return Promise.race([p, this.#wakeControl.promise]);
  }
}
