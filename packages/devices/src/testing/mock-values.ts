import { MockSignalBackend } from "../core/mock-signal-backend.ts";
import type { Signal } from "../core/signal.ts";

function mockOf<T>(signal: Signal<T>): MockSignalBackend<T> {
  const backend = signal.backend;
  if (!(backend instanceof MockSignalBackend)) {
    throw new Error(`${signal.name} is not in mock mode: connect it with { mock: true }`);
  }
  return backend;
}

/** Sets a mocked signal's value as if the hardware changed it. */
export function setMockValue<T>(signal: Signal<T>, value: T): void {
  mockOf(signal).setValue(value);
}

/** The values written to a mocked signal, oldest first. */
export function getMockPutLog<T>(signal: Signal<T>): ReadonlyArray<T | undefined> {
  return mockOf(signal).putLog;
}

/** While false, writes to the mocked signal never complete (a stuck IOC). */
export function setMockPutProceeds(signal: Signal<unknown>, proceeds: boolean): void {
  mockOf(signal).setPutProceeds(proceeds);
}

/** Calls `callback` on each write to the mocked signal (e.g. to move a readback). */
export function callbackOnMockPut<T>(
  signal: Signal<T>,
  callback: (value: T | undefined) => void,
): void {
  mockOf(signal).onPut = callback;
}
