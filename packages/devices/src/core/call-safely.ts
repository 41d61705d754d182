import { toError } from "./errors.ts";

/**
 * Runs a user callback; if it throws, emits a process warning (`type`) saying `${what} threw`
 * instead of breaking the caller, as ophyd logs failing callbacks and goes on.
 */
export function callSafely(call: () => void, what: string, type: string): void {
  try {
    call();
  } catch (error) {
    process.emitWarning(`${what} threw: ${toError(error).message}`, type);
  }
}
