// Data whose keys differ from what the device described fails the plan (as Bluesky's
// compose_event does), whether or not documents are schema-validated, with an error naming the
// device and the missing/extra keys; no event or page with holes is ever emitted.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { completedStatus } from "@cerulean/devices";
import type { DataKeys, Readings, ReadingsCallback, Status } from "@cerulean/devices/protocols";
import type { PartialEvent, PartialEventPage } from "@cerulean/event-model";
import { bps, count, DataKeysMismatch, msg, run_wrapper } from "../../src/index.ts";
import { assertWellFormed, docsNamed, names, recordingEngine } from "../helpers.ts";

const number = (source: string) => ({ dtype: "number" as const, shape: [], source });

/** A detector describing `described` and reading `read` (a renamed channel, say). */
class SkewedDetector {
  constructor(
    readonly name: string,
    readonly described: string[],
    readonly readKeys: string[],
  ) {}
  async describe(): Promise<DataKeys> {
    return Object.fromEntries(this.described.map((k) => [k, number(`fake://${k}`)]));
  }
  async read(): Promise<Readings> {
    return Object.fromEntries(this.readKeys.map((k) => [k, { value: 1, timestamp: 1 }]));
  }
}

/** A flyer whose describe_collect gives keys a and b (flat: declared as stream "fly"). */
class SkewedFlyer {
  constructor(
    readonly name: string,
    readonly events: PartialEvent[] = [],
    readonly pages?: PartialEventPage[],
  ) {}
  kickoff(): Status {
    return completedStatus();
  }
  complete(): Status {
    return completedStatus();
  }
  async describeCollect(): Promise<DataKeys> {
    return { a: number("fake://a"), b: number("fake://b") };
  }
  collect(): PartialEvent[] {
    return this.events;
  }
}

const row = (data: Record<string, number>): PartialEvent => ({
  data,
  timestamps: Object.fromEntries(Object.keys(data).map((k) => [k, 1])),
  time: 1,
});

function* flyPlan(flyer: object) {
  yield* bps.declare_stream(flyer, { name: "fly", collect: true });
  yield* bps.kickoff(flyer, { wait: true });
  yield* bps.complete(flyer, { wait: true });
  yield* bps.collect(flyer, { name: "fly" });
}

async function assertMismatch(
  call: Promise<unknown>,
  expected: { device: string; stream: string; missing: string[]; unexpected: string[] },
): Promise<DataKeysMismatch> {
  let caught: unknown;
  await assert.rejects(call, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof DataKeysMismatch, String(caught));
  assert.equal(caught.device, expected.device);
  assert.equal(caught.stream, expected.stream);
  assert.deepEqual(caught.missing, expected.missing);
  assert.deepEqual(caught.unexpected, expected.unexpected);
  assert.ok(caught.message.includes(`device "${expected.device}"`), caught.message);
  return caught;
}

function assertFailedRun(docs: ReturnType<typeof recordingEngine>["docs"], why: string): void {
  const [stop] = assertWellFormed(docs);
  assert.equal(stop?.["exit_status"], "fail");
  assert.ok(String(stop?.["reason"]).includes(why), String(stop?.["reason"]));
}

describe("data keys against describe()", () => {
  for (const validateDocuments of [false, true]) {
    test(`read() keys that differ from describe() fail the plan (validateDocuments ${validateDocuments})`, async () => {
      const good = new SkewedDetector("good", ["good"], ["good"]);
      const det = new SkewedDetector("det", ["det_I0"], ["det_i0"]);
      const { RE, docs } = recordingEngine({ validateDocuments });
      await assertMismatch(RE.call(count([good, det], 2)), {
        device: "det",
        stream: "primary",
        missing: ["det_I0"],
        unexpected: ["det_i0"],
      });
      assert.deepEqual(names(docs), ["start", "descriptor", "stop"]);
      assertFailedRun(docs, 'device "det"');
    });
  }

  test("an extra key in a later read fails at that event; earlier events stand", async () => {
    const det = new SkewedDetector("det", ["det"], ["det"]);
    const { RE, docs } = recordingEngine();
    const plan = run_wrapper(
      (function* () {
        yield* bps.trigger_and_read([det]);
        det.readKeys.push("det_extra");
        yield* bps.trigger_and_read([det]);
      })(),
    );
    await assertMismatch(RE.call(plan), {
      device: "det",
      stream: "primary",
      missing: [],
      unexpected: ["det_extra"],
    });
    assert.deepEqual(names(docs), ["start", "descriptor", "event", "stop"]);
    assert.deepEqual(docsNamed(docs, "event")[0]?.["data"], { det: 1 });
    assertFailedRun(docs, '["det_extra"]');
  });

  test("a monitor update with other keys fails the plan, naming the device", async () => {
    const callbacks = new Set<ReadingsCallback>();
    const sig = {
      name: "temp",
      describe: async (): Promise<DataKeys> => ({ temp: number("fake://temp") }),
      read: async (): Promise<Readings> => ({ temp: { value: 1, timestamp: 1 } }),
      subscribe: (cb: ReadingsCallback) => {
        callbacks.add(cb);
        cb({ temp: { value: 1, timestamp: 1 } });
      },
      clearSub: (cb: ReadingsCallback) => callbacks.delete(cb),
    };
    const { RE, docs } = recordingEngine();
    const plan = [
      msg("open_run"),
      msg("monitor", sig, { kwargs: { name: "mon" } }),
      msg("null"),
      msg("sleep", null, { args: [0.001] }),
      msg("null"),
      msg("close_run"),
    ];
    setTimeout(() => {
      for (const cb of callbacks) cb({ TEMP: { value: 2, timestamp: 2 } });
    }, 0);
    await assertMismatch(RE.call(plan), {
      device: "temp",
      stream: "mon",
      missing: ["temp"],
      unexpected: ["TEMP"],
    });
    assert.deepEqual(names(docs), ["start", "descriptor", "event", "stop"]);
    assert.equal(callbacks.size, 0, "the monitor was removed");
    assertFailedRun(docs, '["TEMP"]');
  });

  test("collect(): a partial event missing a key fails; no page with holes is emitted", async () => {
    const flyer = new SkewedFlyer("flyer", [
      row({ a: 1, b: 2 }),
      row({ a: 3 }),
      row({ a: 5, b: 6 }),
    ]);
    const { RE, docs } = recordingEngine();
    await assertMismatch(RE.call(run_wrapper(flyPlan(flyer))), {
      device: "flyer",
      stream: "fly",
      missing: ["b"],
      unexpected: [],
    });
    assert.deepEqual(names(docs), ["start", "descriptor", "stop"]);
    assertFailedRun(docs, 'device "flyer"');
  });

  test("collect(): partial events whose keys all differ from describe_collect fail", async () => {
    const flyer = new SkewedFlyer("flyer", [row({ a: 1, c: 2 }), row({ a: 3, c: 4 })]);
    const { RE, docs } = recordingEngine();
    await assertMismatch(RE.call(run_wrapper(flyPlan(flyer))), {
      device: "flyer",
      stream: "fly",
      missing: ["b"],
      unexpected: ["c"],
    });
    assert.deepEqual(names(docs), ["start", "descriptor", "stop"]);
    assertFailedRun(docs, '["c"]');
  });

  test("collect(): a partial event with a missing timestamp fails", async () => {
    const bad: PartialEvent = { data: { a: 3, b: 4 }, timestamps: { a: 1 }, time: 1 };
    const flyer = new SkewedFlyer("flyer", [row({ a: 1, b: 2 }), bad]);
    const { RE, docs } = recordingEngine();
    const err = await assertMismatch(RE.call(run_wrapper(flyPlan(flyer))), {
      device: "flyer",
      stream: "fly",
      missing: ["b"],
      unexpected: [],
    });
    assert.ok(err.message.includes("timestamps"), err.message);
    assert.deepEqual(names(docs), ["start", "descriptor", "stop"]);
    assertWellFormed(docs);
  });

  test("collect pages: a page whose columns differ from describe_collect fails", async () => {
    const flyer = Object.assign(new SkewedFlyer("pager"), {
      collectPages: (): PartialEventPage[] => [
        { data: { a: [1, 2], x: [3, 4] }, timestamps: { a: [1, 1], x: [1, 1] }, time: [1, 1] },
      ],
    });
    const { RE, docs } = recordingEngine();
    await assert.rejects(RE.call(run_wrapper(flyPlan(flyer))), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok(err.message.includes('"pager"'), err.message);
      return true;
    });
    assert.deepEqual(names(docs), ["start", "descriptor", "stop"]);
    assertFailedRun(docs, "pager");
  });

  test("a well-formed flyer still collects one page per stream", async () => {
    const flyer = new SkewedFlyer("flyer", [row({ a: 1, b: 2 }), row({ b: 4, a: 3 })]);
    const { RE, docs } = recordingEngine({ validateDocuments: true });
    await RE.call(run_wrapper(flyPlan(flyer)));
    assert.deepEqual(names(docs), ["start", "descriptor", "event_page", "stop"]);
    const [page] = docsNamed(docs, "event_page");
    assert.deepEqual(page?.["data"], { a: [1, 3], b: [2, 4] });
    assert.deepEqual(page?.["seq_num"], [1, 2]);
    assert.deepEqual(assertWellFormed(docs)[0]?.["num_events"], { fly: 2 });
  });
});
