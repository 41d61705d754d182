// Our client against our soft IOC on loopback: every DBR family, puts, monitors, errors.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CaContext } from "../src/client/context.ts";
import {
  CaAccessError,
  CaMessageTooLargeError,
  CaStatusError,
  CaTimeoutError,
  CaValueError,
} from "../src/errors.ts";
import { EventMask } from "../src/protocol/commands.ts";
import type { DbrFamily, DbrNativeName } from "../src/protocol/dbr-types.ts";
import type { SoftIoc } from "../src/server/soft-ioc.ts";
import { contextFor, eventually, startTestIoc } from "./helpers.ts";

let ioc: SoftIoc;
let ca: CaContext;

const scalars: Array<[DbrNativeName, number | string]> = [
  ["double", 1.25],
  ["float", 2.5],
  ["long", -7],
  ["short", 12],
  ["char", 200],
  ["enum", 1],
  ["string", "hello"],
];

before(async () => {
  ioc = await startTestIoc();
  const limits = { display: { low: -10, high: 10 }, control: { low: -5, high: 5 } };
  for (const [type, value] of scalars) {
    const numeric = type !== "string" && type !== "enum";
    ioc.add(`T:${type}`, {
      type,
      value,
      severity: 1,
      status: 3,
      ...(numeric ? { units: "mm", precision: 2, limits } : {}),
      ...(type === "enum" ? { enumStrings: ["Off", "On", "Auto"] } : {}),
    });
    const array = type === "string" ? ["a", "b", "c"] : [1, 2, 3];
    ioc.add(`T:${type}:array`, { type, value: array, count: 8 });
  }
  ioc.add("T:readonly", { value: 5, writable: false });
  ca = contextFor(ioc);
});

after(async () => {
  await ca.close();
  await ioc.close();
});

describe("get returns every native type in every DBR family", () => {
  const families: DbrFamily[] = ["plain", "sts", "time", "gr", "ctrl"];
  for (const [type, value] of scalars) {
    test(`a ${type} scalar`, async () => {
      const channel = await ca.channel(`T:${type}`);
      assert.equal(channel.nativeType, type);
      assert.equal(channel.elementCount, 1);
      for (const family of families) {
        const got = await channel.get({ family });
        assert.equal(got.value, value, `${family} value`);
        if (family !== "plain")
          assert.deepEqual([got.severity, got.status], [1, 3], `${family} alarm`);
        if (family === "time") assert.ok(Math.abs((got.timestamp ?? 0) - Date.now() / 1000) < 60);
        const numeric = type !== "string" && type !== "enum";
        if (numeric && (family === "gr" || family === "ctrl")) {
          assert.equal(got.units, "mm");
          // DBR_CHAR is unsigned: a negative limit is clamped to 0.
          const low = type === "char" ? 0 : -10;
          assert.deepEqual(got.limits?.display, { low, high: 10 });
        }
        if (numeric && family === "ctrl") {
          assert.deepEqual(got.limits?.control, { low: type === "char" ? 0 : -5, high: 5 });
        }
        if ((type === "double" || type === "float") && family === "ctrl")
          assert.equal(got.precision, 2);
        if (type === "enum" && family === "ctrl")
          assert.deepEqual(got.enumStrings, ["Off", "On", "Auto"]);
      }
      channel.close();
    });

    test(`a ${type} array holds its current length`, async () => {
      const got = await ca.get(`T:${type}:array`, { family: "time" });
      const expected = type === "string" ? ["a", "b", "c"] : [1, 2, 3];
      assert.deepEqual(Array.from(got.value as ArrayLike<unknown>), expected);
      assert.equal(got.count, 3);
    });
  }

  test("an enum read as a string gives its label; a double as a string uses its precision", async () => {
    assert.equal((await ca.get("T:enum", { type: "string" })).value, "On");
    assert.equal((await ca.get("T:double", { type: "string" })).value, "1.25");
  });
});

describe("put", () => {
  test("writes every type, read back identically", async () => {
    const writes: Array<[DbrNativeName, number | string]> = [
      ["double", -3.5],
      ["float", 0.25],
      ["long", 123456],
      ["short", -300],
      ["char", 9],
      ["enum", 2],
      ["string", "world"],
    ];
    for (const [type, value] of writes) {
      await ca.put(`T:${type}`, value, { wait: true });
      assert.equal((await ca.get(`T:${type}`)).value, value, type);
    }
  });

  test("an array put may be shorter than the PV; the length follows", async () => {
    await ca.put("T:double:array", [9, 8, 7, 6, 5], { wait: true });
    assert.deepEqual(
      [...((await ca.get("T:double:array")).value as Float64Array)],
      [9, 8, 7, 6, 5],
    );
    await ca.put("T:string:array", ["x", "y"], { wait: true });
    assert.deepEqual((await ca.get("T:string:array")).value, ["x", "y"]);
  });

  test("an enum takes a label; an unknown label is refused by the server", async () => {
    await ca.put("T:enum", "Auto", { wait: true });
    assert.equal((await ca.get("T:enum")).value, 2);
    await assert.rejects(ca.put("T:enum", "Sideways", { wait: true }), CaStatusError);
  });

  test("without completion it returns once sent, and the value lands", async () => {
    await ca.put("T:long", 77);
    assert.equal((await ca.get("T:long")).value, 77);
  });

  test("with completion it waits for the put handler (a move)", async () => {
    let release: () => void = () => {};
    const steps: string[] = [];
    ioc.add("T:motor", {
      value: 0,
      onPut: async (value, pv) => {
        pv.update({ value });
        steps.push("moving");
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        steps.push("arrived");
      },
    });
    const put = ca.put("T:motor", 4, { wait: true }).then(() => steps.push("put done"));
    await eventually(() => steps.length > 0, 10_000, "the put handler to start");
    assert.deepEqual(steps, ["moving"]);
    release();
    await put;
    assert.deepEqual(steps, ["moving", "arrived", "put done"]);
  });

  test("a failing put handler fails the put with completion", async () => {
    ioc.add("T:failing", { value: 0, onPut: () => Promise.reject(new Error("limit switch")) });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      await assert.rejects(ca.put("T:failing", 1, { wait: true }), (e: unknown) => {
        assert.ok(e instanceof CaStatusError);
        assert.match(e.message, /put of PV "T:failing" failed/);
        return true;
      });
      // The reply cannot carry the reason, so the IOC logs it.
      await eventually(() => warnings.length > 0, 10_000, "a put warning");
    } finally {
      process.off("warning", onWarning);
    }
    assert.equal(warnings[0]?.name, "CaPutWarning");
    assert.match(String(warnings[0]?.message), /put of PV "T:failing" by .+ failed: limit switch/);
  });

  test("a read-only PV refuses writes with CaAccessError naming it", async () => {
    const channel = await ca.channel("T:readonly");
    assert.deepEqual(channel.access, { read: true, write: false });
    await assert.rejects(channel.put(1), (e: unknown) => {
      assert.ok(e instanceof CaAccessError);
      assert.equal(e.message, 'no write access to PV "T:readonly"');
      return true;
    });
    channel.close();
  });

  test("write rights changed at runtime reach a connected client, both ways", async () => {
    const pv = ioc.add("T:lockable", { value: 1, writable: false });
    const channel = await ca.channel("T:lockable");
    assert.deepEqual(channel.access, { read: true, write: false });
    pv.update({ writable: true });
    await eventually(() => channel.access.write, 10_000, "write access granted");
    await channel.put(5, { wait: true });
    assert.equal(pv.value, 5);
    pv.update({ writable: false });
    await eventually(() => !channel.access.write, 10_000, "write access revoked");
    assert.equal(channel.access.read, true);
    await assert.rejects(channel.put(6), CaAccessError);
    assert.equal(pv.value, 5);
    channel.close();
  });

  test("a value that does not fit the native type is refused before sending", async () => {
    await assert.rejects(ca.put("T:short", 1e6), CaValueError);
    await assert.rejects(ca.put("T:double:array", new Float64Array(9)), /holds at most 8/);
  });
});

// An update that never comes would leave a monitor's iteration waiting: fail instead.
describe("monitors", { timeout: 30_000 }, () => {
  test("deliver the current value, then every change, in order, as an async iterable", async () => {
    const pv = ioc.add("T:counter", { value: 0, type: "long" });
    const seen: number[] = [];
    for await (const update of ca.monitor("T:counter")) {
      seen.push(update.value as number);
      if (seen.length === 1) for (let i = 1; i <= 5; i++) pv.update({ value: i });
      if (seen.length === 6) break;
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
  });

  test("honour the event mask: alarm-only, value-only and property monitors", async () => {
    const pv = ioc.add("T:masked", { value: 0 });
    const channel = await ca.channel("T:masked");
    const heard = { value: 0, alarm: 0, property: 0 };
    const subs = [
      channel.subscribe(() => heard.value++, { mask: EventMask.value }),
      channel.subscribe(() => heard.alarm++, { mask: EventMask.alarm }),
      channel.subscribe(() => heard.property++, { mask: EventMask.property }),
    ];
    const initial = () => Object.values(heard).every((n) => n >= 1);
    await eventually(initial, 10_000, "the initial update of each monitor");
    pv.update({ value: 1 });
    pv.update({ value: 2 });
    pv.update({ severity: 2 });
    pv.update({ units: "eV" });
    await ca.get("T:masked"); // a round trip: every update before it has arrived
    assert.deepEqual(heard, { value: 3, alarm: 2, property: 2 });
    for (const sub of subs) sub.close();
    channel.close();
  });

  test("a closed subscription hears nothing more", async () => {
    const pv = ioc.add("T:quiet", { value: 0 });
    const channel = await ca.channel("T:quiet");
    let calls = 0;
    const sub = channel.subscribe(() => calls++);
    await eventually(() => calls > 0, 10_000, "the initial update");
    sub.close();
    pv.update({ value: 1 });
    await channel.get();
    assert.equal(calls, 1);
    channel.close();
  });
});

describe("circuits, limits and timeouts", () => {
  test("channels to one server share one circuit", async () => {
    const a = await ca.channel("T:double");
    const b = await ca.channel("T:long");
    assert.equal(a.server, b.server);
    assert.deepEqual(ca.circuits, [a.server]);
    a.close();
    b.close();
  });

  test("a missing PV times out with CaTimeoutError naming it", async () => {
    await assert.rejects(ca.channel("T:absent", { timeout: 0.2 }), (e: unknown) => {
      assert.ok(e instanceof CaTimeoutError);
      assert.equal(e.pv, "T:absent");
      assert.match(
        e.message,
        /connect of PV "T:absent" timed out after 0.2 s \(no server answered/,
      );
      return true;
    });
    await assert.rejects(ca.get("T:absent2", { timeout: 0.2 }), /get of PV "T:absent2" timed out/);
  });

  test("an array over EPICS_CA_MAX_ARRAY_BYTES is refused with a clear error, both ways", async () => {
    const big = await startTestIoc({ maxArrayBytes: 1 << 20 });
    big.add("T:big", { value: new Float64Array(100_000) });
    const small = contextFor(big, { config: { maxArrayBytes: 16384 } });
    await assert.rejects(small.get("T:big"), (e: unknown) => {
      assert.ok(e instanceof CaMessageTooLargeError);
      assert.match(
        e.message,
        /get of PV "T:big" \(100000 elements of DBR_TIME_DOUBLE\) needs 800016 bytes, over the limit of 16384/,
      );
      return true;
    });
    await assert.rejects(small.put("T:big", new Float64Array(3000)), CaMessageTooLargeError);
    await small.close();
    const large = contextFor(big, { config: { maxArrayBytes: 1 << 20 } });
    const got = await large.get("T:big");
    assert.equal((got.value as Float64Array).length, 100_000);
    await large.close();
    await big.close();
  });
});
