import type { SignalMetadata } from "./data-key.ts";
import { MockSignalBackend } from "./mock-signal-backend.ts";
import { SignalR } from "./signal.ts";
import { SignalRW } from "./signal-rw.ts";
import { SoftSignalBackend } from "./soft-signal-backend.ts";

/** A read-write signal held in memory. */
export function softSignalRW<T>(
  initialValue: T,
  name = "",
  metadata?: SignalMetadata,
): SignalRW<T> {
  return new SignalRW(new SoftSignalBackend(initialValue, metadata), name);
}

/** A read-only signal held in memory, and the function that changes its value. */
export function softSignalRAndSetter<T>(
  initialValue: T,
  name = "",
  metadata?: SignalMetadata,
): [SignalR<T>, (value: T) => void] {
  const signal = new SignalR(new SoftSignalBackend(initialValue, metadata), name);
  // Looks the backend up on each call: in mock mode it has been swapped for a mock.
  const setter = (value: T): void => {
    const backend = signal.backend;
    if (backend instanceof SoftSignalBackend) backend.setReading(value);
    else if (backend instanceof MockSignalBackend) backend.setValue(value);
  };
  return [signal, setter];
}
