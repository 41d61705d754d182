// Devices should return a Status; a device returning a bare promise is adapted, not refused.
import type { Status, StatusCallback } from "@cerulean/devices/protocols";
import { ProtocolError, toError } from "../errors.ts";
import { isStatus, type StatusOrigin } from "./status-groups.ts";

/** A Status following a promise: done when it settles, failed when it rejects. */
class PromiseStatus implements Status {
  done = false;
  success = false;
  exception: Error | undefined;
  readonly #callbacks: StatusCallback[] = [];
  readonly #promise: Promise<undefined>;

  constructor(promise: PromiseLike<unknown>) {
    this.#promise = Promise.resolve(promise).then(
      () => {
        this.success = true;
        this.#finish();
        return undefined;
      },
      (err: unknown) => {
        this.exception = toError(err);
        this.#finish();
        throw this.exception;
      },
    );
    this.#promise.catch(() => {});
  }

  #finish(): void {
    this.done = true;
    for (const cb of this.#callbacks.splice(0)) cb(this);
  }

  addCallback(callback: StatusCallback): void {
    if (this.done) callback(this);
    else this.#callbacks.push(callback);
  }

  wait(timeout?: number): Promise<void> {
    if (timeout === undefined) return this.#promise.then(() => {});
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`status not done after ${timeout} s`)),
        timeout * 1000,
      );
      this.#promise.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  // biome-ignore lint/suspicious/noThenProperty: a Status is awaitable by contract
  then<TResult1 = undefined, TResult2 = never>(
    onfulfilled?: ((value: undefined) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): PromiseLike<TResult1 | TResult2> {
    return this.#promise.then(onfulfilled, onrejected);
  }
}

/** The Status a device method returned, adapting a promise; ProtocolError for anything else. */
export function asStatus(value: unknown, origin: StatusOrigin): Status {
  if (isStatus(value)) return value;
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as PromiseLike<unknown>).then === "function"
  ) {
    return new PromiseStatus(value as PromiseLike<unknown>);
  }
  throw new ProtocolError(
    `"${origin.command}" of "${origin.device}" returned ${value === null ? "null" : typeof value}; expected a Status`,
  );
}
