import { AsyncStatus } from "../core/async-status.ts";
import type { SignalMetadata } from "../core/data-key.ts";
import { MockSignalBackend } from "../core/mock-signal-backend.ts";
import { SignalR } from "../core/signal.ts";
import { SoftSignalBackend } from "../core/soft-signal-backend.ts";
import { sleep } from "../core/time.ts";

/** Options of a SynSignal. */
export interface SynSignalOptions extends SignalMetadata {
  /** Seconds a trigger takes (simulated exposure, default 0). */
  exposureTime?: number;
}

/**
 * ophyd.sim's SynSignal: a signal whose `trigger()` evaluates `func` (after the exposure
 * time) and stores the result, which `read()` then returns. Precision defaults to 3.
 */
export class SynSignal<T> extends SignalR<T> {
  #func: () => T | Promise<T>;
  exposureTime: number;

  constructor(func: () => T, name = "", options: SynSignalOptions = {}) {
    const { exposureTime = 0, ...metadata } = options;
    super(new SoftSignalBackend(func(), { precision: 3, ...metadata }), name);
    this.#func = func;
    this.exposureTime = exposureTime;
  }

  /** Replaces the function evaluated on trigger (ophyd's sim_set_func). */
  setFunc(func: () => T | Promise<T>): void {
    this.#func = func;
  }

  /** Evaluates the function and stores the value. */
  trigger(): AsyncStatus {
    return new AsyncStatus(
      async ({ signal }) => {
        if (this.exposureTime > 0) await sleep(this.exposureTime, signal);
        this.store(await this.#func());
      },
      { operation: `${this.name} trigger()` },
    );
  }

  /** Sets the stored value directly (the simulation's put). */
  store(value: T): void {
    const backend = this.backend;
    if (backend instanceof SoftSignalBackend) backend.setReading(value);
    else if (backend instanceof MockSignalBackend) backend.setValue(value);
  }
}
