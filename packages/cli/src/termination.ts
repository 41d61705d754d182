// SIGTERM and SIGHUP (a `kill`, a closed terminal or ssh session) end a run cleanly: the plan is
// aborted so that its runs get a stop document, the session is closed, then the process exits.
import { constants } from "node:os";

/** The signals that ask a command to end. */
export type TerminationSignal = "SIGTERM" | "SIGHUP";

const SIGNALS: readonly TerminationSignal[] = ["SIGTERM", "SIGHUP"];

/** The part of `process` used to listen for them (tests pass their own). */
export interface TerminationSource {
  on(signal: TerminationSignal, listener: () => void): unknown;
  off(signal: TerminationSignal, listener: () => void): unknown;
}

/**
 * Calls `onSignal` at the first SIGTERM or SIGHUP; later ones are ignored, so that the cleanup is
 * not cut short. Returns the function that stops listening.
 */
export function onTermination(
  onSignal: (signal: TerminationSignal) => void,
  source: TerminationSource = process,
): () => void {
  let received = false;
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      if (received) return;
      received = true;
      onSignal(signal);
    };
    source.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}

/** The shell's exit code for a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: TerminationSignal): number {
  return 128 + constants.signals[signal];
}
