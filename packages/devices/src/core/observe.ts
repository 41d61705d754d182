import { StatusTimeoutError } from "./errors.ts";
import type { SignalR } from "./signal.ts";

/**
 * The values of a signal as an async iterable: the current one, then each change.
 * Ends when the loop breaks; with `timeout` (seconds), throws if no update comes in time.
 * @example for await (const v of observeValue(motor1.readback)) if (v > 3) break;
 */
export async function* observeValue<T>(
  signal: SignalR<T>,
  options: { timeout?: number } = {},
): AsyncGenerator<T, void, undefined> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = signal.subscribeValue((value) => {
    queue.push(value);
    wake?.();
  });
  try {
    while (true) {
      if (queue.length === 0) await nextUpdate(signal.name, options.timeout, (w) => (wake = w));
      wake = undefined;
      while (queue.length > 0) yield queue.shift() as T;
    }
  } finally {
    unsubscribe();
  }
}

function nextUpdate(
  name: string,
  timeout: number | undefined,
  setWake: (wake: () => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(
            () => reject(new StatusTimeoutError(`waiting for an update of ${name}`, timeout)),
            timeout * 1000,
          );
    setWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Resolves once `predicate(value)` holds; after `timeout` seconds rejects with an error
 * naming the signal, the wait and the last value seen.
 */
export function waitForValue<T>(
  signal: SignalR<T>,
  predicate: (value: T) => boolean,
  options: { timeout?: number; description?: string } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    const finish = (): void => {
      finished = true;
      clearTimeout(timer);
      unsubscribe?.();
    };
    unsubscribe = signal.subscribeValue((value) => {
      last = value;
      if (finished || !predicate(value)) return;
      finish();
      resolve(value);
    });
    // The first value may have matched during subscribe, before `unsubscribe` was known.
    if (finished) {
      unsubscribe();
      return;
    }
    const { timeout } = options;
    if (timeout === undefined) return;
    timer = setTimeout(() => {
      finish();
      const what = options.description ?? "the expected value";
      const detail = `last value ${String(last)}`;
      reject(new StatusTimeoutError(`${signal.name} reaching ${what}`, timeout, detail));
    }, timeout * 1000);
  });
}
