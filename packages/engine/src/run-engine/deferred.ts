// Small promise helpers used by the loop and the handlers.

/** A promise with its resolve/reject functions at hand. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

/** A promise whose settlement is controlled from outside. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** True for native promises: the only results the loop awaits (a Status is handed over as is). */
export function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/** Lets timers, I/O and signal handlers run (one macrotask turn). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
