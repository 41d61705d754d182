import { equal, ok } from "node:assert/strict";
import { describe, it } from "node:test";
import { waitForValue } from "../../src/index.ts";
import { SynPeriodicSignal, seededRandom } from "../../src/sim/index.ts";

describe("SynPeriodicSignal (rand)", () => {
  it("takes a new uniform [0, 1) value on each trigger", async () => {
    const rand = new SynPeriodicSignal("rand", { random: seededRandom(1) });
    const values = new Set<number>();
    for (let i = 0; i < 5; i++) {
      await rand.trigger();
      const v = await rand.getValue();
      ok(v >= 0 && v < 1);
      values.add(v);
    }
    equal(values.size, 5);
    equal((await rand.describe())["rand"]?.precision, 3);
  });

  it("updates on its own while monitored, and stops when the last subscriber leaves", async () => {
    const rand = new SynPeriodicSignal("rand", { period: 0.005, periodJitter: 0 });
    const first = await rand.getValue();
    const next = await waitForValue(rand, (v) => v !== first, { timeout: 2 });
    ok(next !== first);
    equal(rand.monitored, false);
    const idle = await rand.getValue();
    await new Promise((resolve) => setTimeout(resolve, 30));
    equal(await rand.getValue(), idle);
  });
});
