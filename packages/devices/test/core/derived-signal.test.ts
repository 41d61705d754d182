import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import { derivedSignalR, ReadOnlyError, softSignalRW } from "../../src/index.ts";

describe("derived signals", () => {
  it("compute from their sources on read, and on each change for monitors", async () => {
    const a = softSignalRW(1, "a");
    const b = softSignalRW(10, "b");
    const total = derivedSignalR((x, y) => x + y, [a, b] as const, { name: "total" });
    equal(await total.getValue(), 11);
    const seen: number[] = [];
    total.subscribeValue((v) => seen.push(v));
    await a.set(2);
    await b.set(20);
    deepStrictEqual(seen, [11, 12, 22]);
    equal((await total.describe())["total"]?.source, "derived://total(a,b)");
  });

  it("cannot be written", async () => {
    const a = softSignalRW(1, "a");
    const doubled = derivedSignalR((x) => 2 * x, [a] as const, { name: "doubled" });
    await rejects(doubled.backend.put(3, true), ReadOnlyError);
  });

  it("stays derived in mock mode, following its mocked sources", async () => {
    const a = softSignalRW(1, "a");
    const doubled = derivedSignalR((x) => 2 * x, [a] as const, { name: "doubled" });
    await a.connect({ mock: true });
    await doubled.connect({ mock: true });
    await a.set(4);
    equal(await doubled.getValue(), 8);
  });
});
