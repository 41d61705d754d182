import { rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import type { DataKeys, Readable, Readings } from "../../src/index.ts";
import { softSignalRW } from "../../src/index.ts";
import { assertDescribeMatchesRead, assertReading } from "../../src/testing/index.ts";

function fake(readings: Readings, keys: DataKeys): Readable {
  return { name: "fake", read: async () => readings, describe: async () => keys };
}

describe("assertReading", () => {
  it("passes on equal values, within a tolerance when given", async () => {
    const sig = softSignalRW(1.0000001, "x");
    await assertReading(sig, { x: { value: 1 } }, { tolerance: 1e-6 });
    await rejects(assertReading(sig, { x: { value: 1 } }), /x differs/);
  });

  it("fails on missing or extra keys", async () => {
    const sig = softSignalRW(1, "x");
    await rejects(assertReading(sig, {}), /keys differ/);
    await rejects(assertReading(sig, { x: { value: 1 }, y: { value: 2 } }), /keys differ/);
  });
});

describe("assertDescribeMatchesRead", () => {
  const now = Date.now() / 1000;
  it("fails when describe has a key read lacks", async () => {
    const device = fake(
      { a: { value: 1, timestamp: now } },
      {
        a: { dtype: "number", shape: [], source: "s" },
        b: { dtype: "number", shape: [], source: "s" },
      },
    );
    await rejects(assertDescribeMatchesRead(device), /keys differ/);
  });

  it("fails when a DataKey's shape does not fit the value", async () => {
    const device = fake(
      { a: { value: [1, 2], timestamp: now } },
      { a: { dtype: "array", shape: [3], source: "s" } },
    );
    await rejects(assertDescribeMatchesRead(device), /shape/);
  });

  it("fails when the dtype does not fit the value", async () => {
    const device = fake(
      { a: { value: "text", timestamp: now } },
      { a: { dtype: "number", shape: [], source: "s" } },
    );
    await rejects(assertDescribeMatchesRead(device), /dtype number but the value is string/);
  });
});
