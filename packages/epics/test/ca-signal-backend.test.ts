// CaSignalBackend passes the devices' shared SignalBackend contract, and describes PVs well.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signalBackendContract } from "@cerulean/devices/testing";
import { CaSignalBackend } from "../src/ca-signal-backend.ts";
import type { CaContext } from "../src/client/context.ts";
import type { SoftIoc } from "../src/server/soft-ioc.ts";
import { contextFor, eventually, startTestIoc } from "./helpers.ts";

let ioc: SoftIoc | undefined;
let ca: CaContext | undefined;

/** One IOC for the whole file, started by the first subject that needs it. */
async function served(): Promise<{ ioc: SoftIoc; ca: CaContext }> {
  if (!ioc || !ca) {
    ioc = await startTestIoc();
    ioc.add("C:double", { value: 1.5, units: "mm", precision: 3 });
    ioc.add("C:string", { value: "idle" });
    ioc.add("C:enum", { type: "enum", value: 0, enumStrings: ["Off", "On"] });
    ioc.add("C:array", { value: new Float64Array([0, 0, 0]), count: 3 });
    ioc.add("C:readonly", { type: "long", value: 42, writable: false });
    const readback = ioc.add("C:motor.RBV", { value: 0, writable: false });
    ioc.add("C:motor.VAL", {
      value: 0,
      onPut: (value, pv) => {
        pv.update({ value });
        readback.update({ value });
      },
    });
    ca = contextFor(ioc);
  }
  return { ioc, ca };
}

after(async () => {
  await ca?.close();
  await ioc?.close();
});

signalBackendContract("ca double", async () => ({
  backend: new CaSignalBackend<number>((await served()).ca, "C:double"),
  writes: [2.5, -7.25],
}));

signalBackendContract("ca string", async () => ({
  backend: new CaSignalBackend<string>((await served()).ca, "C:string"),
  writes: ["busy", "done"],
}));

signalBackendContract("ca enum, as labels", async () => ({
  backend: new CaSignalBackend<string>((await served()).ca, "C:enum"),
  writes: ["On", "Off"],
}));

signalBackendContract("ca array", async () => ({
  backend: new CaSignalBackend<Float64Array>((await served()).ca, "C:array"),
  writes: [new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])],
}));

signalBackendContract("ca read-only", async () => ({
  backend: new CaSignalBackend<number>((await served()).ca, "C:readonly"),
}));

signalBackendContract("ca setpoint and readback PVs", async () => ({
  backend: new CaSignalBackend<number>((await served()).ca, "C:motor.RBV", {
    writePv: "C:motor.VAL",
  }),
  writes: [3, 4],
}));

describe("CaSignalBackend DataKeys", () => {
  let context: CaContext;
  before(async () => {
    context = (await served()).ca;
  });

  test("a double: number, units, precision, the limits the IOC set, the PV as source", async () => {
    (await served()).ioc.add("C:limited", {
      value: 0,
      units: "keV",
      precision: 2,
      limits: { control: { low: -1, high: 1 } },
    });
    const backend = new CaSignalBackend<number>(context, "C:limited");
    await backend.connect(10);
    assert.deepEqual(await backend.getDataKey(backend.source()), {
      dtype: "number",
      shape: [],
      source: "ca://C:limited",
      dtype_numpy: "<f8",
      units: "keV",
      precision: 2,
      limits: { control: { low: -1, high: 1 } },
    });
  });

  test("an enum: a string with its choices; an array: its element count", async () => {
    const enumBackend = new CaSignalBackend<string>(context, "C:enum");
    await enumBackend.connect(10);
    const enumKey = await enumBackend.getDataKey("ca://C:enum");
    assert.deepEqual([enumKey.dtype, enumKey.choices], ["string", ["Off", "On"]]);
    const arrayBackend = new CaSignalBackend<Float64Array>(context, "C:array");
    await arrayBackend.connect(10);
    const arrayKey = await arrayBackend.getDataKey("ca://C:array");
    assert.deepEqual([arrayKey.dtype, arrayKey.shape, arrayKey.dtype_numpy], ["array", [3], "<f8"]);
  });

  test("connecting to a missing PV fails naming it", async () => {
    const backend = new CaSignalBackend<number>(context, "C:missing");
    await assert.rejects(backend.connect(0.2), /connect of PV "C:missing" timed out after 0.2 s/);
  });
});

describe("CaSignalBackend monitor errors", () => {
  test("a monitor that fails (an update over the client's limit) becomes a warning naming the PV", async () => {
    const big = await startTestIoc({ maxArrayBytes: 1 << 20 });
    big.add("C:big", { value: new Float64Array(4096) });
    const small = contextFor(big, { config: { maxArrayBytes: 16384 } });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const backend = new CaSignalBackend<Float64Array>(small, "C:big");
      await backend.connect(10);
      const values: Float64Array[] = [];
      backend.setCallback((reading) => values.push(reading.value));
      await eventually(() => warnings.length > 0, 10_000, "a monitor warning");
      const [warning] = warnings;
      assert.equal(warning?.name, "CaMonitorWarning");
      assert.match(
        String(warning?.message),
        /signal of PV "C:big" lost a monitor update: .*EPICS_CA_MAX_ARRAY_BYTES/,
      );
      assert.equal(values.length, 0);
      backend.setCallback(undefined);
    } finally {
      process.off("warning", onWarning);
      await small.close();
      await big.close();
    }
  });
});
