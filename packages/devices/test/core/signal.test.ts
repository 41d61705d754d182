import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  InvalidValueError,
  NotConnectedError,
  type Readings,
  SignalR,
  SignalX,
  SoftSignalBackend,
  StatusTimeoutError,
  softSignalRAndSetter,
  softSignalRW,
} from "../../src/index.ts";
import { getMockPutLog, setMockPutProceeds, setMockValue } from "../../src/testing/index.ts";

describe("soft signals", () => {
  it("read and describe agree on the key, the signal's name", async () => {
    const gain = softSignalRW(2, "amp_gain", { units: "dB", precision: 1 });
    const readings = await gain.read();
    deepStrictEqual(Object.keys(readings), ["amp_gain"]);
    equal(readings["amp_gain"]?.value, 2);
    deepStrictEqual(await gain.describe(), {
      amp_gain: {
        source: "soft://amp_gain",
        dtype: "number",
        dtype_numpy: "<f8",
        shape: [],
        units: "dB",
        precision: 1,
      },
    });
  });

  it("describes arrays, strings and booleans", async () => {
    const spectrum = softSignalRW([1, 2, 3], "s");
    const image = softSignalRW(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      "i",
    );
    const mode = softSignalRW("fast", "m");
    const flag = softSignalRW(true, "f");
    deepStrictEqual((await spectrum.describe())["s"]?.shape, [3]);
    deepStrictEqual((await image.describe())["i"]?.shape, [3, 2]);
    equal((await image.describe())["i"]?.dtype, "array");
    equal((await mode.describe())["m"]?.dtype, "string");
    equal((await flag.describe())["f"]?.dtype_numpy, "|b1");
  });

  it("set writes the value; locate gives setpoint and readback", async () => {
    const sig = softSignalRW(0, "sig");
    await sig.set(4.5);
    equal(await sig.getValue(), 4.5);
    deepStrictEqual(await sig.locate(), { setpoint: 4.5, readback: 4.5 });
  });

  it("rejects a value outside its choices, naming the signal and the choices", async () => {
    const noise = softSignalRW("none", "det_noise", { choices: ["none", "poisson", "uniform"] });
    await rejects(Promise.resolve(noise.set("gaussian")), (error: Error) => {
      ok(error instanceof InvalidValueError);
      equal(
        error.message,
        'det_noise cannot take "gaussian": expected one of none, poisson, uniform',
      );
      return true;
    });
  });

  it("subscribers get the current reading at once, then each change with a timestamp", async () => {
    const [temperature, setTemperature] = softSignalRAndSetter(20, "temp");
    const seen: Readings[] = [];
    const unsubscribe = temperature.subscribe((r) => seen.push(r));
    setTemperature(21);
    unsubscribe();
    setTemperature(22);
    deepStrictEqual(
      seen.map((r) => r["temp"]?.value),
      [20, 21],
    );
    ok(seen.every((r) => typeof r["temp"]?.timestamp === "number"));
    ok((seen[1]?.["temp"]?.timestamp ?? 0) >= (seen[0]?.["temp"]?.timestamp ?? 0));
  });

  it("many subscribers share one monitor; clearSub removes one", () => {
    const [sig, set] = softSignalRAndSetter(1, "x");
    const a: number[] = [];
    const b: number[] = [];
    const onA = (v: number): number => a.push(v);
    sig.subscribeValue(onA);
    sig.subscribeValue((v) => b.push(v));
    set(2);
    sig.clearSub(onA);
    set(3);
    deepStrictEqual(a, [1, 2]);
    deepStrictEqual(b, [1, 2, 3]);
    ok(sig.monitored);
  });

  it("a throwing subscriber is reported as a warning; the write and the others go on", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(`${w.name}: ${w.message}`);
    };
    process.on("warning", onWarning);
    try {
      const gain = softSignalRW(0, "gain");
      let calls = 0;
      gain.subscribe(() => {
        if (calls++ > 0) throw new Error("bad plot callback");
      });
      const other: number[] = [];
      gain.subscribeValue((v) => other.push(v));
      await gain.set(5);
      equal(await gain.getValue(), 5);
      deepStrictEqual(other, [0, 5]);
      // A late subscriber that throws on its first reading does not break subscribe either.
      gain.subscribeValue(() => {
        throw new Error("bad late subscriber");
      });
      await new Promise((resolve) => setImmediate(resolve));
      deepStrictEqual(warnings, [
        "SignalSubscriberWarning: a subscriber of gain threw: bad plot callback",
        "SignalSubscriberWarning: a subscriber of gain threw: bad late subscriber",
      ]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("one function subscribed twice (readings and values) gets both; clearSub removes both", () => {
    const [sig, set] = softSignalRAndSetter(1, "x");
    const seen: unknown[] = [];
    const record = (r: unknown): number => seen.push(r);
    sig.subscribe(record);
    sig.subscribeValue(record);
    set(2);
    deepStrictEqual(
      seen.filter((r) => typeof r === "number"),
      [1, 2],
    );
    equal(seen.filter((r) => typeof r === "object").length, 2);
    sig.clearSub(record);
    equal(sig.monitored, false);
  });

  it("a SignalX executes", async () => {
    const backend = new SoftSignalBackend<undefined>(undefined);
    const reset = new SignalX(backend, "reset");
    await reset.trigger();
  });
});

describe("mock mode", () => {
  it("connect({mock}) swaps in a mock that keeps the value and logs puts", async () => {
    const sig = softSignalRW(3, "sig");
    await sig.connect({ mock: true });
    ok(sig.source.startsWith("mock+soft://"));
    equal(await sig.getValue(), 3);
    await sig.set(5);
    await sig.set(6);
    deepStrictEqual(getMockPutLog(sig), [5, 6]);
    setMockValue(sig, 9);
    equal(await sig.getValue(), 9);
  });

  it("a stuck put times out with an error naming the signal and the time", async () => {
    const sig = softSignalRW(0, "shutter_open");
    await sig.connect({ mock: true });
    setMockPutProceeds(sig, false);
    await rejects(Promise.resolve(sig.set(1, { timeout: 0.02 })), (error: Error) => {
      ok(error instanceof StatusTimeoutError);
      equal(error.message, "shutter_open set(1) did not finish within 0.02 s");
      return true;
    });
    setMockPutProceeds(sig, true);
    await sig.set(1, { timeout: 1 });
  });

  it("monitors survive the swap to a mock", async () => {
    const sig = softSignalRW(1, "m");
    const seen: number[] = [];
    sig.subscribeValue((v) => seen.push(v));
    await sig.connect({ mock: true });
    setMockValue(sig, 7);
    deepStrictEqual(seen.at(-1), 7);
  });

  it("setMockValue on a signal that is not mocked says so", () => {
    const sig = softSignalRW(1, "real");
    let error: unknown;
    try {
      setMockValue(sig, 2);
    } catch (e) {
      error = e;
    }
    ok(error instanceof Error && error.message.includes("real is not in mock mode"));
  });

  it("a backend that fails to connect gives NotConnectedError naming the signal", async () => {
    const broken = new SoftSignalBackend(0);
    broken.connect = async () => {
      throw new Error("no IOC answers");
    };
    const sig = new SignalR(broken, "XF:31-PV");
    await rejects(sig.connect(), (error: Error) => {
      ok(error instanceof NotConnectedError);
      ok(error.message.includes("XF:31-PV: no IOC answers"));
      return true;
    });
  });
});
