import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composeResource, composeStreamResource } from "../../src/compose/resource.ts";
import { composeRun } from "../../src/compose/run-bundle.ts";
import type { NamedDocument } from "../../src/documents.ts";
import {
  EventModelError,
  EventModelRuntimeError,
  EventModelValidationError,
  EventModelValueError,
} from "../../src/errors.ts";
import type { DataKey } from "../../src/schemas/data-key.ts";
import { assertValidReference, assertValidStream } from "../../src/testing/reference-schemas.ts";

const detKey: DataKey = { dtype: "number", shape: [], source: "SIM:det" };
const imgKey: DataKey = {
  dtype: "array",
  shape: [5, 5],
  source: "SIM:img",
  external: "FILESTORE:",
};

describe("composeRun", () => {
  test("a start document with a uid and time, destructured like compose_run", () => {
    const bundle = composeRun();
    assert.equal(typeof bundle.startDoc.uid, "string");
    assert.equal(typeof bundle.startDoc.time, "number");
    const [startDoc, composeDescriptor, composeResourceFn, composeStop] = bundle;
    assert.equal(startDoc, bundle.startDoc);
    assert.equal(composeDescriptor, bundle.composeDescriptor);
    assert.equal(composeResourceFn, bundle.composeResource);
    assert.equal(composeStop, bundle.composeStop);
    assertValidReference("start", startDoc);
  });

  test("a full run validates at every step and counts events per stream", () => {
    const docs: NamedDocument[] = [];
    const run = composeRun({ metadata: { plan_name: "count", scan_id: 7 } });
    docs.push(["start", run.startDoc]);
    const primary = run.composeDescriptor({
      name: "primary",
      data_keys: { det: detKey, img: imgKey },
    });
    docs.push(["descriptor", primary.descriptorDoc]);
    const resource = run.composeResource({
      spec: "AD_HDF5",
      root: "/data",
      resource_path: "a.h5",
      resource_kwargs: {},
    });
    docs.push(["resource", resource.resourceDoc]);
    const datum = resource.composeDatum({ datum_kwargs: { point_number: 0 } });
    docs.push(["datum", datum]);
    const event = primary.composeEvent({
      data: { det: 1, img: datum.datum_id },
      timestamps: { det: 1, img: 1 },
      filled: { img: false },
    });
    docs.push(["event", event]);
    assert.equal(event.seq_num, 1);
    const datumPage = resource.composeDatumPage({ datum_kwargs: { point_number: [1, 2] } });
    assert.deepEqual(datumPage.datum_id, [
      `${resource.resourceDoc.uid}/1`,
      `${resource.resourceDoc.uid}/2`,
    ]);
    docs.push(["datum_page", datumPage]);
    const page = primary.composeEventPage({
      data: { det: [2, 3], img: datumPage.datum_id },
      timestamps: { det: [2, 3], img: [2, 3] },
      filled: { img: [false, false] },
    });
    assert.deepEqual(page.seq_num, [2, 3]);
    docs.push(["event_page", page]);
    const baseline = run.composeDescriptor({ name: "baseline", data_keys: { det: detKey } });
    docs.push(["descriptor", baseline.descriptorDoc]);
    const stop = run.composeStop();
    docs.push(["stop", stop]);
    assert.deepEqual(stop.num_events, { primary: 3, baseline: 0 });
    assert.equal(stop.exit_status, "success");
    assert.equal(stop.run_start, run.startDoc.uid);
    assertValidStream(docs);
    // the descriptor carries every field compose_descriptor always emits
    assert.deepEqual(Object.keys(primary.descriptorDoc).sort(), [
      "configuration",
      "data_keys",
      "hints",
      "name",
      "object_classes",
      "object_keys",
      "run_start",
      "time",
      "uid",
    ]);
  });

  test("an explicit seq_num moves the counter; a second descriptor of a stream continues it", () => {
    const run = composeRun();
    const first = run.composeDescriptor({ name: "primary", data_keys: { det: detKey } });
    assert.equal(
      first.composeEvent({ data: { det: 1 }, timestamps: { det: 1 }, seq_num: 10 }).seq_num,
      10,
    );
    const second = run.composeDescriptor({
      name: "primary",
      data_keys: { det: { ...detKey, units: "mm" } },
    });
    assert.equal(second.composeEvent({ data: { det: 1 }, timestamps: { det: 1 } }).seq_num, 11);
    assert.deepEqual(run.composeStop().num_events, { primary: 11 });
  });

  test("metadata is merged into the start document and validated", () => {
    const run = composeRun({
      uid: "u1",
      time: 5,
      metadata: { sample: "Si", hints: { dimensions: [[["motor"], "primary"]] } },
    });
    assert.deepEqual(run.startDoc, {
      sample: "Si",
      hints: { dimensions: [[["motor"], "primary"]] },
      uid: "u1",
      time: 5,
    });
    assert.throws(
      () => composeRun({ metadata: { data_session: ["a"] } }),
      /\/data_session: must be string/,
    );
    assert.throws(
      () => composeRun({ metadata: { data_groups: "a" } }),
      /\/data_groups: must be array/,
    );
    assert.throws(() => composeRun({ metadata: { "b.c": 1 } }), EventModelValidationError);
    assert.throws(
      () => composeRun({ metadata: { uid: "x" } }),
      (e: Error) =>
        e instanceof EventModelValueError &&
        /metadata may not contain "uid" \(got "x"\)/.test(e.message),
    );
  });
});

describe("compose checks", () => {
  test("an event whose keys differ from its descriptor is rejected, naming the keys", () => {
    const run = composeRun();
    const primary = run.composeDescriptor({
      name: "primary",
      data_keys: { det: detKey, motor: detKey },
    });
    assert.throws(
      () => primary.composeEvent({ data: { det: 1, mtr: 2 }, timestamps: { det: 1, motor: 1 } }),
      (e: Error) =>
        e instanceof EventModelValidationError &&
        e.message.includes('/data: keys of data of stream "primary"') &&
        e.message.includes('missing ["motor"], unexpected ["mtr"]'),
    );
    assert.throws(
      () => primary.composeEvent({ data: { det: 1, motor: 2 }, timestamps: { det: 1 } }),
      /\/timestamps: .*missing \["motor"\]/,
    );
    assert.throws(
      () =>
        primary.composeEvent({
          data: { det: 1, motor: 2 },
          timestamps: { det: 1, motor: 1 },
          filled: { img: false },
        }),
      /\/filled: keys \["img"\]/,
    );
  });

  test("STREAM: keys are left out of events", () => {
    const run = composeRun();
    const primary = run.composeDescriptor({
      name: "primary",
      data_keys: {
        det: detKey,
        img: { dtype: "array", shape: [5, 5], source: "x", external: "STREAM:" },
      },
    });
    const event = primary.composeEvent({ data: { det: 1 }, timestamps: { det: 1 } });
    assertValidReference("event", event);
  });

  test("a stream name keeps one set of data keys", () => {
    const run = composeRun();
    run.composeDescriptor({ name: "primary", data_keys: { det: detKey } });
    assert.throws(
      () => run.composeDescriptor({ name: "primary", data_keys: { det2: detKey } }),
      /descriptor of stream "primary" differ from earlier descriptors of that stream: missing \["det"\], unexpected \["det2"\]/,
    );
  });

  test("an event page with columns of different lengths is rejected", () => {
    const run = composeRun();
    const primary = run.composeDescriptor({
      name: "primary",
      data_keys: { det: detKey, motor: detKey },
    });
    assert.throws(
      () =>
        primary.composeEventPage({
          data: { det: [1, 2], motor: [1] },
          timestamps: { det: [1, 2], motor: [1, 2] },
        }),
      /data\["motor"\] has 1 rows but data\["det"\] has 2/,
    );
    assert.throws(
      () =>
        primary.composeEventPage({
          data: { det: [1], motor: [1] },
          timestamps: { det: [1], motor: [1] },
          seq_num: [1, 2],
        }),
      /column "seq_num" has 2 rows, expected 1/,
    );
  });

  test("a stopped run refuses further documents and a second stop", () => {
    const run = composeRun();
    const primary = run.composeDescriptor({ name: "primary", data_keys: { det: detKey } });
    const resource = run.composeResource({
      spec: "X",
      root: "/",
      resource_path: "a",
      resource_kwargs: {},
    });
    run.composeStop({ exit_status: "abort", reason: "user" });
    const refused = new RegExp(`run ${run.startDoc.uid} is already stopped`);
    assert.throws(
      () => primary.composeEvent({ data: { det: 1 }, timestamps: { det: 1 } }),
      refused,
    );
    assert.throws(
      () => run.composeDescriptor({ name: "x", data_keys: {} }),
      EventModelRuntimeError,
    );
    assert.throws(() => resource.composeDatum({ datum_kwargs: {} }), refused);
    assert.throws(
      () => run.composeStop(),
      (e: Error) => e instanceof EventModelError && /already been composed/.test(e.message),
    );
  });

  test("a bad exit status is rejected", () => {
    const run = composeRun();
    assert.throws(() => run.composeStop({ exit_status: "ok" as "success" }), /\/exit_status/);
  });
});

describe("resources and stream resources", () => {
  test("a resource outside a run has no run_start", () => {
    const { resourceDoc, composeDatum } = composeResource({
      spec: "AD_TIFF",
      root: "/",
      resource_path: "a.tiff",
      resource_kwargs: {},
    });
    assert.equal("run_start" in resourceDoc, false);
    assertValidReference("resource", resourceDoc);
    assert.equal(composeDatum({ datum_kwargs: {} }).datum_id, `${resourceDoc.uid}/0`);
  });

  test("stream datums count from 0 and default to placeholders for the RunEngine", () => {
    const run = composeRun();
    const sr = run.composeStreamResource({
      mimetype: "application/x-hdf5",
      uri: "file://localhost/a.h5",
      data_key: "img",
      parameters: {},
    });
    assert.equal(sr.streamResourceDoc.run_start, run.startDoc.uid);
    const sd = sr.composeStreamDatum({ indices: { start: 0, stop: 0 } });
    assert.deepEqual(sd, {
      uid: `${sr.streamResourceDoc.uid}/0`,
      stream_resource: sr.streamResourceDoc.uid,
      descriptor: "",
      indices: { start: 0, stop: 0 },
      seq_nums: { start: 0, stop: 0 },
    });
    assertValidReference("stream_resource", sr.streamResourceDoc);
    assertValidReference("stream_datum", sd);
    assert.equal(
      sr
        .composeStreamDatum({ indices: { start: 0, stop: 2 }, seq_nums: { start: 1, stop: 3 } })
        .uid.endsWith("/1"),
      true,
    );
    assert.throws(
      () => sr.composeStreamDatum({ indices: { start: 3, stop: 2 } }),
      /indices \{start: 3, stop: 2\} has stop before start/,
    );
  });

  test("a stream resource made by a device, outside a run", () => {
    const { streamResourceDoc } = composeStreamResource({
      mimetype: "image/tiff",
      uri: "file://localhost/x",
      data_key: "cam",
      parameters: {},
    });
    assert.equal("run_start" in streamResourceDoc, false);
    assertValidReference("stream_resource", streamResourceDoc);
  });
});
