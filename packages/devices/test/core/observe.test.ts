import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  observeValue,
  StatusTimeoutError,
  softSignalRAndSetter,
  waitForValue,
} from "../../src/index.ts";

describe("observing signals", () => {
  it("observeValue yields the current value then each change, until the loop breaks", async () => {
    const [sig, set] = softSignalRAndSetter(0, "counter");
    setTimeout(() => {
      set(1);
      set(2);
    }, 1);
    const seen: number[] = [];
    for await (const value of observeValue(sig)) {
      seen.push(value);
      if (value === 2) break;
    }
    deepStrictEqual(seen, [0, 1, 2]);
    equal(sig.monitored, false);
  });

  it("waitForValue resolves on a match", async () => {
    const [sig, set] = softSignalRAndSetter(0, "temp");
    setTimeout(() => set(300), 1);
    equal(await waitForValue(sig, (v) => v > 290), 300);
    equal(sig.monitored, false);
  });

  it("waitForValue times out naming the signal, the wait and the last value", async () => {
    const [sig] = softSignalRAndSetter(3, "temp");
    await rejects(
      waitForValue(sig, (v) => v > 290, { timeout: 0.02, description: "above 290 K" }),
      (error: Error) => {
        ok(error instanceof StatusTimeoutError);
        equal(
          error.message,
          "temp reaching above 290 K did not finish within 0.02 s: last value 3",
        );
        return true;
      },
    );
    equal(sig.monitored, false);
  });
});
