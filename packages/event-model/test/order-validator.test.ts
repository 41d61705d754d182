import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composeRun } from "../src/compose/run-bundle.ts";
import type { NamedDocument } from "../src/documents.ts";
import { EventModelValidationError } from "../src/errors.ts";
import { DocumentOrderValidator } from "../src/order-validator.ts";
import { packEventPage } from "../src/pages.ts";
import { assertValidStream } from "../src/testing/reference-schemas.ts";
import { sampleRun } from "./helpers/sample-run.ts";

function checkAll(docs: NamedDocument[], validator = new DocumentOrderValidator()) {
  for (const pair of docs) validator.callback(...pair);
  return validator;
}

function rejects(docs: NamedDocument[], doc: string, path: string, message: RegExp) {
  assert.throws(
    () => checkAll(docs),
    (e: Error) =>
      e instanceof EventModelValidationError &&
      e.documentName === doc &&
      e.problems[0]?.path === path &&
      message.test(e.message),
  );
}

/** A fly-scan-like run: two STREAM keys sharing each stream_datum block, then one more block. */
function streamRun(): NamedDocument[] {
  const run = composeRun();
  const key = { dtype: "array" as const, shape: [4], source: "x", external: "STREAM:" };
  const d = run.composeDescriptor({ name: "primary", data_keys: { a: key, b: key } });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", d.descriptorDoc],
  ];
  const resources = ["a", "b"].map((k) =>
    run.composeStreamResource({
      mimetype: "application/x-hdf5",
      uri: `file://localhost/${k}.h5`,
      data_key: k,
      parameters: {},
    }),
  );
  for (const r of resources) docs.push(["stream_resource", r.streamResourceDoc]);
  for (const [start, stop] of [
    [0, 3],
    [3, 5],
  ] as const) {
    for (const r of resources) {
      docs.push([
        "stream_datum",
        r.composeStreamDatum({
          indices: { start, stop },
          seq_nums: { start: start + 1, stop: stop + 1 },
          descriptor: d.descriptorDoc.uid,
        }),
      ]);
    }
  }
  docs.push(["stop", { ...run.composeStop(), num_events: { primary: 5 } }]);
  return docs;
}

describe("DocumentOrderValidator", () => {
  test("accepts well-ordered runs, one after the other", () => {
    const docs = [...sampleRun().docs, ...sampleRun().docs, ...streamRun()];
    assertValidStream(docs);
    const validator = checkAll(docs);
    validator.assertComplete();
    assert.deepStrictEqual(validator.openRuns, []);
  });

  test("an event before its descriptor, or after the stop", () => {
    const { docs } = sampleRun();
    rejects(
      [docs[0]!, docs[3]!],
      "event",
      "/descriptor",
      /has not been received; a descriptor must come before/,
    );
    const stop = docs.at(-1)!;
    rejects([...docs, docs[3]!], "event", "/descriptor", /after the stop of run/);
    rejects([...docs, stop], "stop", "/run_start", /after the stop/);
    rejects([docs[1]!], "descriptor", "/run_start", /has not started; the start must come first/);
  });

  test("a second start: while a run is open, or with a uid already used", () => {
    const a = sampleRun().docs;
    const b = sampleRun().docs;
    rejects([a[0]!, b[0]!], "start", "/uid", /while run .* is still open/);
    rejects([...a, a[0]!], "start", "/uid", /a second start with uid/);
    const interleaved = [a[0]!, b[0]!, ...a.slice(1), ...b.slice(1)];
    checkAll(interleaved, new DocumentOrderValidator({ concurrentRuns: true })).assertComplete();
  });

  test("seq_num must count up from 1 per stream, for events and pages", () => {
    const run = sampleRun();
    const [, primary1, primary2] = [
      run.baselineEvents[0],
      run.primaryEvents[0]!,
      run.primaryEvents[1]!,
    ];
    const head = run.docs.slice(0, 7);
    rejects(
      [...head, ["event", { ...primary2, seq_num: 3 }]],
      "event",
      "/seq_num",
      /seq_num 3 where 2 was expected/,
    );
    const page = packEventPage(primary1, primary2);
    const upToDatums = run.docs.filter(([n]) => n !== "event" && n !== "stop");
    checkAll([...upToDatums, ["event_page", page]]);
    rejects(
      [...upToDatums, ["event_page", { ...page, seq_num: [1, 1] }]],
      "event_page",
      "/seq_num/1",
      /seq_num 1 where 2 was expected/,
    );
  });

  test("datums before their resource, and before the events that use them", () => {
    const run = sampleRun();
    const [start, primary, baseline] = run.docs as [NamedDocument, NamedDocument, NamedDocument];
    rejects(
      [start, primary, ["datum", run.datums[0]!]],
      "datum",
      "/resource",
      /resource .* has not been received/,
    );
    rejects(
      [start, primary, baseline, ["resource", run.resource], ["event", run.primaryEvents[0]!]],
      "event",
      "/data/image",
      /refers to datum ".*", which has not been received/,
    );
    rejects(
      [...run.docs.slice(0, 6), ["datum", run.datums[0]!]],
      "datum",
      "/datum_id",
      /already received/,
    );
  });

  test("stream_datum ranges continue the stream's count and match their indices", () => {
    const docs = streamRun();
    const sd = docs[4]![1] as { seq_nums: object; indices: object };
    rejects(
      [
        ...docs.slice(0, 4),
        ["stream_datum", { ...sd, seq_nums: { start: 2, stop: 5 } }] as NamedDocument,
      ],
      "stream_datum",
      "/seq_nums/start",
      /starts at seq_num 2 where 1 was expected/,
    );
    rejects(
      [
        ...docs.slice(0, 4),
        ["stream_datum", { ...sd, indices: { start: 0, stop: 9 } }] as NamedDocument,
      ],
      "stream_datum",
      "/seq_nums",
      /must cover the same number of rows/,
    );
    rejects(
      [docs[0]!, docs[1]!, docs[4]!],
      "stream_datum",
      "/stream_resource",
      /has not been received/,
    );
  });

  test("the stop's num_events must match what was received; open runs are reported", () => {
    const { docs, stop } = sampleRun();
    rejects(
      [...docs.slice(0, -1), ["stop", { ...stop, num_events: { primary: 3, baseline: 2 } }]],
      "stop",
      "/num_events/primary",
      /says 3 for stream "primary", but 2 event rows/,
    );
    rejects(
      [...docs.slice(0, -1), ["stop", { ...stop, num_events: { ...stop.num_events, dark: 0 } }]],
      "stop",
      "/num_events/dark",
      /which had no descriptor/,
    );
    const open = checkAll(docs.slice(0, -1));
    assert.throws(() => open.assertComplete(), /still open \(no stop\)/);
  });
});
