// `RE` at the prompt: a function (`await RE(scan(...))`) with the RunEngine's controls attached.
import type { PlanLike, RunEngine, RunEngineResult, SubscriptionName } from "@cerulean/engine";
import type { DocumentCallback } from "@cerulean/event-model";

/** The message printed when a plan pauses: what the user can do next. */
export const PAUSED_MESSAGE =
  "Paused. Use RE.resume() to continue, RE.stop() to end it as a success, RE.abort() to end it as aborted, or RE.halt() to end it at once without cleanup.";

/** Uids of the runs a call opened (Bluesky's return value), or undefined when it paused. */
export type CallOutcome = string[] | undefined;

/** The callable RunEngine of the REPL. */
export interface CallableEngine {
  (plan: PlanLike, md?: Record<string, unknown>): Promise<CallOutcome>;
  resume(): Promise<CallOutcome>;
  stop(): Promise<CallOutcome>;
  abort(reason?: string): Promise<CallOutcome>;
  halt(): Promise<CallOutcome>;
  requestPause(defer?: boolean): void;
  subscribe(callback: DocumentCallback, name?: SubscriptionName): number;
  unsubscribe(token: number): void;
  readonly md: Record<string, unknown>;
  readonly state: string;
  /** The RunEngine itself. */
  readonly engine: RunEngine;
}

export interface CallableEngineHooks {
  print: (line: string) => void;
  /** Called before each call and resume (e.g. to reset the Ctrl-C counter). */
  onStart?: () => void;
  /** Called when a call settles, whatever the outcome. */
  onSettled?: () => void;
}

const engineCalls = new WeakSet<object>();

/** Whether `value` is a promise the REPL waits for before its next prompt (see markEngineCall). */
export function isEngineCall(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null && engineCalls.has(value);
}

/** Marks `promise` so that the REPL waits for it even when typed without `await`. */
export function markEngineCall<T>(promise: Promise<T>): Promise<T> {
  engineCalls.add(promise);
  return promise;
}

/** Wraps `RE` so that calling it runs a plan; the methods forward to the RunEngine. */
export function callableEngine(RE: RunEngine, hooks: CallableEngineHooks): CallableEngine {
  const settle = (start: () => Promise<RunEngineResult>): Promise<CallOutcome> => {
    hooks.onStart?.();
    const promise = (async (): Promise<CallOutcome> => {
      try {
        const result = await start();
        if (result.exitStatus !== "success") {
          hooks.print(
            `The plan ended: ${result.exitStatus}${result.reason ? ` (${result.reason})` : ""}`,
          );
        }
        return [...result.runStartUids];
      } catch (err) {
        if ((err as Error).name === "RunEngineInterrupted") {
          hooks.print(PAUSED_MESSAGE);
          return undefined;
        }
        throw err;
      } finally {
        hooks.onSettled?.();
      }
    })();
    return markEngineCall(promise);
  };
  const call = (plan: PlanLike, md: Record<string, unknown> = {}) =>
    settle(() => RE.call(plan, { md }));
  return Object.defineProperties(call, {
    resume: { value: () => settle(() => RE.resume()) },
    stop: { value: () => settle(() => RE.stop()) },
    abort: { value: (reason = "") => settle(() => RE.abort(reason)) },
    halt: { value: () => settle(() => RE.halt()) },
    requestPause: { value: (defer = true) => RE.requestPause({ defer }) },
    subscribe: {
      value: (callback: DocumentCallback, name?: SubscriptionName) => RE.subscribe(callback, name),
    },
    unsubscribe: { value: (token: number) => RE.unsubscribe(token) },
    md: { get: () => RE.md, enumerable: true },
    state: { get: () => RE.state, enumerable: true },
    engine: { value: RE },
  }) as CallableEngine;
}
