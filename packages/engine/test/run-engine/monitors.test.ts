// Monitor streams across pause and resume: monitor updates are never re-taken on replay, so
// their seq_nums keep counting (strictly increasing) while the replayed streams rewind.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { softSignalRW } from "@cerulean/devices";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bps, msg, RunEngineInterrupted } from "../../src/index.ts";
import { assertWellFormed, docsNamed, names, type Recorded, recordingEngine } from "../helpers.ts";

/** `seq_num:value` of each event of stream `name`, in emission order. */
function streamEvents(docs: readonly Recorded[], name: string, key: string): string[] {
  const descriptors = new Set(
    docsNamed(docs, "descriptor")
      .filter((d) => d["name"] === name)
      .map((d) => d["uid"]),
  );
  return docsNamed(docs, "event")
    .filter((e) => descriptors.has(e["descriptor"]))
    .map((e) => `${e["seq_num"]}:${(e["data"] as Record<string, unknown>)[key]}`);
}

describe("monitors", () => {
  test("after pause and resume, monitor seq_nums go on increasing; replayed streams rewind", async () => {
    const { det } = await createSimBeamline();
    const temperature = softSignalRW(0, "temperature");
    const { RE, docs } = recordingEngine();
    function* plan() {
      yield msg("open_run");
      yield msg("monitor", temperature, { kwargs: { name: "mon" } });
      yield* bps.checkpoint();
      yield* bps.mv(temperature, 1);
      yield* bps.trigger_and_read([det]);
      yield* bps.pause();
      yield* bps.mv(temperature, 4);
      yield msg("unmonitor", temperature);
      yield msg("close_run");
    }
    await assert.rejects(RE.call(plan()), RunEngineInterrupted);
    assert.equal(RE.state, "paused");
    // Not recorded while paused; the restored monitor reports the value it finds.
    await temperature.set(3);
    const result = await RE.resume();
    assert.equal(result.exitStatus, "success");

    assert.deepEqual(names(docs), [
      "start",
      "descriptor", // mon
      "event", // mon 1: 0 (subscribed)
      "event", // mon 2: 1 (mv)
      "descriptor", // primary
      "event", // primary 1
      // paused; resume: the monitor restored after the rewind
      "event", // mon 3: 3
      "event", // mon 4: 1 (replayed mv)
      "event", // primary 1 again (replayed)
      "event", // mon 5: 4
      "stop",
    ]);
    assert.deepEqual(streamEvents(docs, "mon", "temperature"), ["1:0", "2:1", "3:3", "4:1", "5:4"]);
    assert.deepEqual(
      docsNamed(docs, "event")
        .filter((e) => "det" in (e["data"] as object))
        .map((e) => e["seq_num"]),
      [1, 1],
    );
    const [stop] = assertWellFormed(docs);
    assert.deepEqual(stop?.["num_events"], { mon: 5, primary: 1 });
  });
});
