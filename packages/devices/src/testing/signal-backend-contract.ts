import { deepStrictEqual, ok } from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { SignalBackend } from "../core/signal-backend.ts";
import { now } from "../core/time.ts";
import type { Reading } from "../protocols/reading.ts";

/** A backend under test, with two values it can be written (different from its current one). */
export interface BackendContractSubject<T> {
  backend: SignalBackend<T>;
  /** Two distinct values to write; omit for read-only backends. */
  writes?: [T, T];
  /** Stops whatever the subject started (an IOC...). */
  close?: () => Promise<void>;
}

function waitForReading<T>(
  readings: Reading<T>[],
  predicate: (r: Reading<T>) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (readings.some(predicate)) resolve();
      else if (Date.now() - started > 5000) reject(new Error("no matching monitor update in 5 s"));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/**
 * The shared test suite every SignalBackend must pass (soft, mock, sim, EPICS CA...):
 * registers node:test tests under `describe("SignalBackend contract: <label>")`.
 * @example signalBackendContract("soft", async () => ({ backend: new SoftSignalBackend(1), writes: [2, 3] }))
 */
export function signalBackendContract<T>(
  label: string,
  make: () => Promise<BackendContractSubject<T>>,
): void {
  describe(`SignalBackend contract: ${label}`, () => {
    const subjects: BackendContractSubject<T>[] = [];
    const subject = async (): Promise<BackendContractSubject<T>> => {
      const made = await make();
      subjects.push(made);
      await made.backend.connect(5);
      return made;
    };
    after(async () => {
      for (const s of subjects) await s.close?.();
    });

    it("describes its value with a DataKey carrying the given source", async () => {
      const { backend } = await subject();
      const source = backend.source("contract_signal");
      // A source names where the value comes from: the signal (soft) or the PV (ca://...).
      ok(source.length > 0, "source is empty");
      const dataKey = await backend.getDataKey(source);
      deepStrictEqual(dataKey.source, source);
      ok(["string", "number", "array", "boolean", "integer"].includes(dataKey.dtype));
      ok(Array.isArray(dataKey.shape));
    });

    it("reads the same value as getValue, with a timestamp in seconds since the epoch", async () => {
      const { backend } = await subject();
      const reading = await backend.getReading();
      deepStrictEqual(reading.value, await backend.getValue());
      ok(Math.abs(reading.timestamp - now()) < 86_400, `timestamp ${reading.timestamp} is not now`);
    });

    it("calls a new monitor at once with the current reading", async () => {
      const { backend } = await subject();
      const seen: Reading<T>[] = [];
      backend.setCallback((r) => seen.push(r));
      await waitForReading(seen, () => true);
      backend.setCallback(undefined);
    });

    it("writes: the value, the setpoint and the monitor follow; a cleared monitor hears nothing", async (t) => {
      const { backend, writes } = await subject();
      if (!writes) {
        t.diagnostic("read-only backend: nothing to write");
        return;
      }
      const seen: Reading<T>[] = [];
      backend.setCallback((r) => seen.push(r));
      for (const value of writes) {
        await backend.put(value, true);
        deepStrictEqual(await backend.getValue(), value);
        deepStrictEqual(await backend.getSetpoint(), value);
        await waitForReading(seen, (r) => deepEqual(r.value, value));
      }
      backend.setCallback(undefined);
      const heard = seen.length;
      await backend.put(writes[0], true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      deepStrictEqual(seen.length, heard, "a cleared monitor was still called");
    });
  });
}

function deepEqual(a: unknown, b: unknown): boolean {
  try {
    deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
