// Interruptions racing with work in flight: stop/abort/halt while open_run or monitor awaits
// (nothing opens after the call ended, every start gets a stop), and resume() called twice or
// followed at once by abort() (every promise handed out settles).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { completedStatus, StatusBase } from "@cerulean/devices";
import type { DataKeys, Readings, ReadingsCallback, Status } from "@cerulean/devices/protocols";
import { createSimBeamline } from "@cerulean/devices/sim";
import { count, msg, RunEngineInterrupted } from "../../src/index.ts";
import { deferred } from "../../src/run-engine/deferred.ts";
import { assertWellFormed, delay, docsNamed, names, recordingEngine } from "../helpers.ts";

const endings = ["stop", "abort", "halt"] as const;
const exitOf = { stop: "success", abort: "abort", halt: "abort" } as const;

describe("stop, abort, halt while open_run awaits the scan_id source", () => {
  for (const how of endings) {
    test(`${how}: no start is emitted after the call ended; the next plan runs cleanly`, async () => {
      const { det } = await createSimBeamline();
      const asked = deferred<void>();
      const scanId = deferred<number>();
      const { RE, docs, warnings } = recordingEngine({
        scanIdSource: () => {
          asked.resolve();
          return scanId.promise;
        },
      });
      const call = RE.call(count([det], 3));
      await asked.promise;
      const result = await (how === "abort" ? RE.abort("wrong sample") : RE[how]());
      assert.equal(result.exitStatus, exitOf[how]);
      assert.deepEqual(result.runStartUids, []);
      assert.equal(RE.state, "idle");
      assert.equal((await call).exitStatus, exitOf[how]);
      scanId.resolve(7);
      await delay(5);
      assert.deepEqual(docs, [], "nothing emitted by the abandoned open_run");
      assert.equal(RE.md["scan_id"], undefined, "the unused scan_id is not recorded");

      RE.scanIdSource = () => 8;
      await RE.call(count([det], 1));
      assert.deepEqual(names(docs), ["start", "descriptor", "event", "stop"]);
      assert.equal(docsNamed(docs, "start")[0]?.["scan_id"], 8);
      assertWellFormed(docs);
      assert.deepEqual(warnings, []);
    });
  }
});

describe("abort while monitor describes its device", () => {
  test("a describe finishing during cleanup opens no stream and leaves no subscription", async () => {
    const described = deferred<DataKeys>();
    const asked = deferred<void>();
    const subscribed: ReadingsCallback[] = [];
    const sig = {
      name: "temp",
      describe: (): Promise<DataKeys> => {
        asked.resolve();
        return described.promise;
      },
      read: async (): Promise<Readings> => ({ temp: { value: 1, timestamp: 1 } }),
      subscribe: (cb: ReadingsCallback) => {
        subscribed.push(cb);
        cb({ temp: { value: 1, timestamp: 1 } });
      },
      clearSub: () => {},
    };
    // Its unstage (in cleanup, while the run is still open) lets the describe finish.
    const shutter = {
      name: "shutter",
      stage: (): Status => completedStatus(),
      unstage: (): Status => {
        const status = new StatusBase();
        described.resolve({ temp: { dtype: "number", shape: [], source: "fake://temp" } });
        setTimeout(() => status.setFinished(), 5);
        return status;
      },
    };
    const { RE, docs, warnings } = recordingEngine();
    const call = RE.call([
      msg("stage", shutter),
      msg("open_run"),
      msg("monitor", sig, { kwargs: { name: "mon" } }),
      msg("close_run"),
    ]);
    await asked.promise;
    const result = await RE.abort("no cryostat");
    assert.equal(result.exitStatus, "abort");
    await call;
    assert.deepEqual(subscribed, [], "never subscribed");
    assert.deepEqual(names(docs), ["start", "stop"]);
    const [stop] = assertWellFormed(docs);
    assert.equal(stop?.["exit_status"], "abort");
    assert.equal(stop?.["reason"], "no cryostat");
    assert.deepEqual(warnings, []);
  });
});

describe("resume() racing", () => {
  /** An engine paused (at a checkpoint) after the first event of count([det], 3). */
  async function pausedAfterFirstEvent() {
    const { det } = await createSimBeamline();
    const { RE, docs } = recordingEngine();
    let events = 0;
    RE.subscribe((name, _doc) => {
      if (name === "event" && ++events === 1) RE.requestPause({ defer: true });
    });
    await assert.rejects(RE.call(count([det], 3)), RunEngineInterrupted);
    assert.equal(RE.state, "paused");
    return { RE, docs };
  }

  test("a second resume() while the first is under way settles with the same result", async () => {
    const { RE, docs } = await pausedAfterFirstEvent();
    const first = RE.resume();
    assert.equal(RE.state, "paused", "still paused while the loop restarts");
    const second = RE.resume();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.exitStatus, "success");
    assert.equal(b, a);
    assert.deepEqual(names(docs), ["start", "descriptor", "event", "event", "event", "stop"]);
    assert.deepEqual(
      docsNamed(docs, "event").map((e) => e["seq_num"]),
      [1, 2, 3],
    );
    assertWellFormed(docs);
    assert.equal(RE.state, "idle");
  });

  for (const how of endings) {
    test(`${how}() right after resume(): both promises settle with the ${how} result`, async () => {
      const { RE, docs } = await pausedAfterFirstEvent();
      const first = RE.resume();
      const ended = how === "abort" ? RE.abort("changed my mind") : RE[how]();
      const [a, b] = await Promise.all([first, ended]);
      assert.equal(a, b);
      assert.equal(b.exitStatus, exitOf[how]);
      assert.equal(RE.state, "idle");
      assert.deepEqual(names(docs), ["start", "descriptor", "event", "stop"]);
      const [stop] = assertWellFormed(docs);
      assert.equal(stop?.["exit_status"], exitOf[how]);
      if (how === "abort") assert.equal(stop?.["reason"], "changed my mind");
    });
  }
});
