// Monitors: a subscription survives reconnections (it is re-added on every new circuit) and
// can be consumed with a callback or as an async iterable.
import type { CaValue } from "./ca-value.ts";

/** Which changes a monitor reports, and in which DBR form. */
export interface MonitorOptions {
  /** EventMask bits (value 1, log 2, alarm 4, property 8); default value | alarm. */
  mask?: number;
  /** DBR family of the updates; default "time". */
  family?: "plain" | "sts" | "time" | "gr" | "ctrl";
  /** Request another native type than the PV's ("string" to get enum labels...). */
  type?: "string" | "short" | "float" | "enum" | "char" | "long" | "double";
  /** Elements per update; default all (the current length). */
  count?: number;
  /** An enum PV sends its labels (DBR_STRING) instead of indices; decided at each connect. */
  enumLabels?: boolean;
}

/** A live monitor delivering to a callback; `close()` cancels it on the server. */
export class CaSubscription {
  readonly id: number;
  readonly options: MonitorOptions;
  readonly #onValue: (value: CaValue) => void;
  readonly #onError: (error: Error) => void;
  readonly #onClose: (subscription: CaSubscription) => void;
  #closed = false;

  /** @internal Made by `CaChannel.subscribe`. */
  constructor(params: {
    id: number;
    options: MonitorOptions;
    onValue: (value: CaValue) => void;
    onError: (error: Error) => void;
    onClose: (subscription: CaSubscription) => void;
  }) {
    this.id = params.id;
    this.options = params.options;
    this.#onValue = params.onValue;
    this.#onError = params.onError;
    this.#onClose = params.onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal */
  deliver(value: CaValue): void {
    if (!this.#closed) this.#onValue(value);
  }

  /** @internal */
  fail(error: Error): void {
    if (!this.#closed) this.#onError(error);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
  }
}

/**
 * A monitor as an async iterable: `for await (const update of channel.monitor())`. Leaving the
 * loop cancels the subscription. When the consumer lags by `bufferSize` updates, the oldest
 * are dropped (counted in `dropped`), as CA itself coalesces updates for slow clients.
 */
export class CaMonitor implements AsyncIterable<CaValue> {
  readonly #queue: CaValue[] = [];
  readonly #waiters: Array<{
    resolve: (r: IteratorResult<CaValue>) => void;
    reject: (e: Error) => void;
  }> = [];
  readonly #bufferSize: number;
  #subscription: CaSubscription | undefined;
  #error: Error | undefined;
  #done = false;
  /** Updates dropped because the consumer was too slow. */
  dropped = 0;

  /** @internal Made by `CaChannel.monitor`. */
  constructor(bufferSize: number) {
    this.#bufferSize = Math.max(1, bufferSize);
  }

  /** @internal */
  attach(subscription: CaSubscription): void {
    this.#subscription = subscription;
  }

  /** @internal */
  push(value: CaValue) {
    if (this.#done) return;
    const waiter = this.#waiters.shift();
    if (waiter) return waiter.resolve({ value, done: false });
    this.#queue.push(value);
    if (this.#queue.length > this.#bufferSize) {
      this.#queue.shift();
      this.dropped++;
    }
  }

  /** @internal Ends the iteration with `error` once the queued updates are consumed. */
  fail(error: Error): void {
    if (this.#done) return;
    this.#error = error;
    this.#done = true;
    this.#subscription?.close();
    if (this.#queue.length === 0 && this.#waiters.length > 0) {
      this.#error = undefined;
      for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    }
  }

  /** Stops the monitor; pending and future `next()` calls end the iteration. */
  close(): void {
    this.#done = true;
    this.#queue.length = 0;
    this.#subscription?.close();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<CaValue> {
    return {
      next: () => {
        const value = this.#queue.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.#error) {
          const error = this.#error;
          this.#error = undefined;
          return Promise.reject(error);
        }
        if (this.#done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
