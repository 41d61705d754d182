import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composeRun, type DataKey, EventModelKeyError } from "@cerulean/event-model";
import { type FinishedRun, PeakAlignmentAgent, RunCollector } from "../../src/index.ts";

const key: DataKey = { dtype: "number", shape: [], source: "sim" };

function twoInterleavedRuns(route: (name: string, doc: unknown) => void) {
  const a = composeRun({ metadata: { plan_name: "a" } });
  const b = composeRun({ metadata: { plan_name: "b" } });
  route("start", a.startDoc);
  route("start", b.startDoc);
  const pa = a.composeDescriptor({
    name: "primary",
    data_keys: { x: key, y: key, label: { ...key, dtype: "string" } },
  });
  const ba = a.composeDescriptor({ name: "baseline", data_keys: { x: key } });
  const pb = b.composeDescriptor({ name: "primary", data_keys: { x: key } });
  for (const d of [pa, ba, pb]) route("descriptor", d.descriptorDoc);
  route(
    "event",
    pa.composeEvent({ data: { x: 1, y: 10, label: "p" }, timestamps: { x: 0, y: 0, label: 0 } }),
  );
  route("event", ba.composeEvent({ data: { x: 99 }, timestamps: { x: 0 } }));
  route(
    "event_page",
    pb.composeEventPage({ data: { x: [5, 6] }, timestamps: { x: [0, 0] }, time: [0, 0] }),
  );
  route(
    "event",
    pa.composeEvent({ data: { x: 2, y: 20, label: "q" }, timestamps: { x: 0, y: 0, label: 0 } }),
  );
  route("stop", b.composeStop());
  route("stop", a.composeStop());
  return [a.startDoc.uid, b.startDoc.uid];
}

describe("RunCollector", () => {
  test("turns interleaved runs into primary-stream columns, pages included", () => {
    const finished: FinishedRun[] = [];
    const collector = new RunCollector((run) => finished.push(run));
    const route = collector.callback as (name: string, doc: unknown) => void;
    const [a, b] = twoInterleavedRuns(route);
    assert.deepEqual(
      finished.map((r) => [r.uid, r.columns, r.numEvents, r.start["plan_name"]]),
      [
        [b, { x: [5, 6] }, 2, "b"],
        [a, { x: [1, 2], y: [10, 20] }, 2, "a"],
      ],
    );
  });

  test("a null reading (NaN sent as JSON) keeps its column, as NaN, and the agent skips it", () => {
    const finished: FinishedRun[] = [];
    const collector = new RunCollector((run) => finished.push(run));
    const route = collector.callback as (name: string, doc: unknown) => void;
    const run = composeRun({ metadata: { plan_name: "scan" } });
    route("start", run.startDoc);
    const primary = run.composeDescriptor({ name: "primary", data_keys: { x: key, y: key } });
    route("descriptor", primary.descriptorDoc);
    const page = primary.composeEventPage({
      data: { x: [0, 1, 2], y: [1, 2, 3] },
      timestamps: { x: [0, 0, 0], y: [0, 0, 0] },
      time: [0, 0, 0],
    });
    // What the catalog replays for a NaN: JSON null.
    const replayed = JSON.parse(
      JSON.stringify({ ...page, data: { ...page.data, y: [1, Number.NaN, 3] } }),
    );
    route("event_page", replayed);
    route("stop", run.composeStop());
    assert.deepEqual(finished[0]?.columns, { x: [0, 1, 2], y: [1, Number.NaN, 3] });
    const agent = new PeakAlignmentAgent({
      detector: "y",
      motor: "x",
      bounds: [0, 3],
      tolerance: 0.1,
    });
    agent.tell(finished[0] as FinishedRun);
    assert.deepEqual(agent.x, [0, 2]);
    assert.equal(agent.skippedPoints, 1);
  });

  test("an agent's ingest counts finished runs and refuses unknown document names", () => {
    const agent = new PeakAlignmentAgent({
      detector: "y",
      motor: "x",
      bounds: [0, 3],
      tolerance: 0.1,
    });
    twoInterleavedRuns((name, doc) => agent.ingest(name, doc));
    assert.equal(agent.runsSeen, 2);
    assert.deepEqual(
      agent.x,
      [5, 6, 1, 2].filter((_, i) => i >= 2),
    );
    assert.throws(() => agent.ingest("starts", {}), EventModelKeyError);
  });
});
