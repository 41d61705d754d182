// Every backend of this package passes the shared SignalBackend contract.
import {
  DerivedSignalBackend,
  MockSignalBackend,
  SimSignalBackend,
  SoftSignalBackend,
  softSignalRW,
} from "../../src/index.ts";
import { signalBackendContract } from "../../src/testing/index.ts";

signalBackendContract("soft number", async () => ({
  backend: new SoftSignalBackend(1, { units: "mm" }),
  writes: [2, 3],
}));

signalBackendContract("soft array", async () => ({
  backend: new SoftSignalBackend([0, 0, 0]),
  writes: [
    [1, 2, 3],
    [4, 5, 6],
  ],
}));

signalBackendContract("mock", async () => ({
  backend: new MockSignalBackend({ value: "idle", metadata: {} }),
  writes: ["busy", "idle"],
}));

signalBackendContract("sim (read-only, computed)", async () => ({
  backend: new SimSignalBackend(() => 42, { period: 0.01 }),
}));

signalBackendContract("derived (read-only)", async () => {
  const a = softSignalRW(1, "a");
  const b = softSignalRW(2, "b");
  return { backend: new DerivedSignalBackend((x: number, y: number) => x + y, [a, b] as const) };
});
