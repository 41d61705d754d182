import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  initDevices,
  NotConnectedError,
  SignalR,
  type SignalRW,
  SoftSignalBackend,
  StandardReadable,
  softSignalRW,
} from "../../src/index.ts";
import { assertConfiguration, assertReading } from "../../src/testing/index.ts";

class Amplifier extends StandardReadable {
  readonly gain: SignalRW<number>;
  readonly current: SignalRW<number>;
  constructor(name = "") {
    super(name);
    this.current = this.addChild("current", softSignalRW(1.5), { kind: "hinted" });
    this.gain = this.addChild("gain", softSignalRW(10), { kind: "config" });
  }
}

class Stage extends StandardReadable {
  readonly x: SignalRW<number>;
  readonly mode: SignalRW<string>;
  readonly secret: SignalRW<number>;
  readonly amp: Amplifier;
  constructor(name = "") {
    super(name);
    this.x = this.addChild("x", softSignalRW(0), { kind: "hinted" });
    this.mode = this.addChild("mode", softSignalRW("idle"));
    this.secret = this.addChild("secret", softSignalRW(42), { kind: "omitted" });
    this.amp = this.addChild("amp", new Amplifier());
    this.stageSignal(this.mode, "acquire");
  }
}

describe("device trees", () => {
  it("name children parent_child, all the way down, and rename with the parent", () => {
    const stage = new Stage("stage1");
    equal(stage.x.name, "stage1_x");
    equal(stage.amp.gain.name, "stage1_amp_gain");
    equal(stage.amp.parent, stage);
    stage.setName("sample");
    equal(stage.amp.current.name, "sample_amp_current");
  });

  it("kinds decide read, readConfiguration and hints", async () => {
    const stage = new Stage("s");
    await assertReading(stage, {
      s_x: { value: 0 },
      s_mode: { value: "idle" },
      s_amp_current: { value: 1.5 },
    });
    await assertConfiguration(stage, { s_amp_gain: { value: 10 } });
    deepStrictEqual(stage.hints, { fields: ["s_x", "s_amp_current"] });
    deepStrictEqual(Object.keys(await stage.describe()).sort(), ["s_amp_current", "s_mode", "s_x"]);
    deepStrictEqual(Object.keys(await stage.describeConfiguration()), ["s_amp_gain"]);
  });

  it("stage sets the stage signals and unstage restores what they were", async () => {
    const stage = new Stage("s");
    await stage.mode.set("manual");
    await stage.stage();
    equal(stage.staged, true);
    equal(await stage.mode.getValue(), "acquire");
    await stage.stage();
    await stage.unstage();
    equal(await stage.mode.getValue(), "manual");
    equal(stage.staged, false);
  });

  it("a failing onUnstage still restores the stage signals, and unstage can be retried", async () => {
    class Fragile extends Stage {
      failures = 1;
      unstaged = 0;
      protected override async onUnstage(): Promise<void> {
        if (this.failures-- > 0) throw new Error("file close failed");
        this.unstaged++;
      }
    }
    const stage = new Fragile("s");
    await stage.mode.set("manual");
    await stage.stage();
    await rejects(Promise.resolve(stage.unstage()), /file close failed/);
    equal(await stage.mode.getValue(), "manual");
    equal(stage.staged, true);
    await stage.unstage();
    equal(stage.unstaged, 1);
    equal(stage.staged, false);
    equal(await stage.mode.getValue(), "manual");
  });

  it("connect reports every child that failed, by name", async () => {
    class Broken extends StandardReadable {
      constructor(name: string) {
        super(name);
        for (const attr of ["a", "b"]) {
          const backend = new SoftSignalBackend(0);
          backend.connect = async () => {
            throw new Error(`PV of ${attr} not found`);
          };
          this.addChild(attr, new SignalR(backend));
        }
        this.addChild("ok", softSignalRW(1));
      }
    }
    await rejects(new Broken("dev").connect(), (error: Error) => {
      ok(error instanceof NotConnectedError);
      ok(error.message.startsWith("dev is not connected"));
      ok(error.message.includes("dev_a"));
      ok(error.message.includes("dev_b"));
      ok(!error.message.includes("dev_ok"));
      return true;
    });
  });

  it("initDevices names devices after their keys and connects them in mock mode", async () => {
    const { sample_stage } = await initDevices({ sample_stage: new Stage() }, { mock: true });
    equal(sample_stage.x.name, "sample_stage_x");
    ok(sample_stage.x.source.startsWith("mock+soft://"));
  });
});
