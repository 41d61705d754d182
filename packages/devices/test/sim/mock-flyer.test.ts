import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import { composeRun, type PartialEvent } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { StatusBase, StatusCancelledError, sleep } from "../../src/index.ts";
import { linspace, MockFlyer, SynAxis, SynGauss, TrivialFlyer } from "../../src/sim/index.ts";

async function setup(num = 5): Promise<{ flyer: MockFlyer; motor: SynAxis }> {
  const motor = new SynAxis("motor");
  const det = new SynGauss("det", motor, "motor", { Imax: 1 });
  await det.connect();
  return { flyer: new MockFlyer("flyer1", det, motor, [1, 5, num], { startDelay: 0 }), motor };
}

describe("MockFlyer", () => {
  it("flies the motor over linspace(start, stop, num) and records det at each point", async () => {
    deepStrictEqual(linspace(1, 5, 5), [1, 2, 3, 4, 5]);
    const { flyer } = await setup();
    await flyer.kickoff();
    await flyer.complete();
    const events = [...flyer.collect()];
    equal(events.length, 5);
    events.forEach((e, i) => {
      const m = 1 + i;
      equal(e.data["motor"], m);
      ok(Math.abs((e.data["det"] as number) - Math.exp(-(m * m) / 2)) < 1e-12);
      equal(typeof e.timestamps["det"], "number");
    });
    deepStrictEqual([...flyer.collect()], [], "collect forgets what it returned");
  });

  it("describeCollect names the stream after the flyer with motor and detector keys", async () => {
    const { flyer } = await setup();
    const described = await flyer.describeCollect();
    deepStrictEqual(Object.keys(described), ["flyer1"]);
    deepStrictEqual(Object.keys(described["flyer1"] ?? {}).sort(), [
      "det",
      "motor",
      "motor_setpoint",
    ]);
  });

  it("collectPages gives the same data as one event page, valid as a document", async () => {
    const { flyer } = await setup(4);
    await flyer.kickoff();
    await flyer.complete();
    const pages = [...flyer.collectPages()];
    equal(pages.length, 1);
    deepStrictEqual(pages[0]?.data["motor"], [1, 1 + 4 / 3, 1 + 8 / 3, 5]);
    const run = composeRun({ metadata: { plan_name: "fly" } });
    const described = (await flyer.describeCollect())["flyer1"] ?? {};
    const stream = run.composeDescriptor({ name: "flyer1", data_keys: described });
    const page = pages[0];
    ok(page);
    const eventPage = stream.composeEventPage({
      data: page.data,
      timestamps: page.timestamps,
      time: page.time,
    });
    assertValidStream([
      ["start", run.startDoc],
      ["descriptor", stream.descriptorDoc],
      ["event_page", eventPage],
      ["stop", run.composeStop()],
    ]);
  });

  it("refuses a second kickoff while flying and complete before any kickoff", async () => {
    const { flyer } = await setup();
    await rejects(
      Promise.resolve(flyer.complete()),
      /flyer1 cannot complete: no collection in progress/,
    );
    await flyer.kickoff();
    await rejects(Promise.resolve(flyer.kickoff()), /flyer1 cannot kickoff: still flying/);
    await flyer.complete();
  });

  it("pause holds the fly between points; resume lets it finish", async () => {
    const motor = new SynAxis("motor", { velocity: 100, updatePeriod: 0.002 });
    const det = new SynGauss("det", motor, "motor");
    await det.connect();
    const flyer = new MockFlyer("flyer", det, motor, [0, 1, 5], { startDelay: 0 });
    await flyer.pause();
    await flyer.kickoff();
    await sleep(0.03);
    equal([...flyer.collect()].length, 0);
    equal(flyer.complete().done, false);
    await flyer.resume();
    await flyer.complete();
    equal([...flyer.collect()].length, 5);
  });

  it("stop({success: false}) fails complete; stop() ends it successfully", async () => {
    const motor = new SynAxis("motor", { velocity: 50, updatePeriod: 0.002 });
    const det = new SynGauss("det", motor, "motor");
    await det.connect();
    const flyer = new MockFlyer("flyer", det, motor, [0, 10, 11], { startDelay: 0 });
    await flyer.kickoff();
    await flyer.stop({ success: false });
    await rejects(Promise.resolve(flyer.complete()), /flyer fly was stopped after \d+ points/);
    await flyer.kickoff();
    await flyer.stop();
    await flyer.complete();
    ok([...flyer.collect()].length < 11);
  });

  it("cancelling complete stops the motor and the point loop; no second loop meanwhile", async () => {
    const motor = new SynAxis("motor", { velocity: 5, updatePeriod: 0.005 });
    const det = new SynGauss("det", motor, "motor");
    await det.connect();
    const flyer = new MockFlyer("flyer", det, motor, [0, 1, 6], { startDelay: 0 });
    await flyer.kickoff();
    const completion = flyer.complete();
    ok(completion instanceof StatusBase);
    await sleep(0.07);
    completion.cancel("user");
    const refused = flyer.kickoff();
    await rejects(Promise.resolve(completion), StatusCancelledError);
    await rejects(Promise.resolve(refused), /flyer cannot kickoff: still flying/);
    const stoppedAt = motor.position;
    const recorded = [...flyer.collect()].length;
    await sleep(0.1);
    equal(motor.position, stoppedAt);
    ok(stoppedAt < 1);
    equal([...flyer.collect()].length, 0, `no point after the ${recorded} recorded at cancel`);
    await flyer.kickoff();
    await flyer.complete();
    equal(motor.position, 1);
  });
});

describe("TrivialFlyer", () => {
  it("completes at once and collects 100 empty events", async () => {
    const flyer = new TrivialFlyer();
    await flyer.kickoff();
    await flyer.complete();
    deepStrictEqual(await flyer.describeCollect(), { stream_name: {} });
    const events: PartialEvent[] = [...flyer.collect()];
    equal(events.length, 100);
    deepStrictEqual(events[99], { data: {}, timestamps: {}, time: 99 });
  });
});
