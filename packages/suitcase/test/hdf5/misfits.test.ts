import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import { composeRun, parseJson } from "@cerulean/event-model";
import h5wasm from "h5wasm/node";
import { createHdf5Serializer } from "../../src/hdf5/hdf5-serializer.ts";
import { type Doc, feed, tempDir } from "../fixtures.ts";
import { h5dump } from "../tools.ts";

type Dataset = InstanceType<typeof h5wasm.Dataset>;
const STREAM = "/entry/bluesky/streams/primary";

const MISFITS: Record<string, unknown>[] = [
  {
    det: 1.5,
    count: 1,
    label: "a",
    cam: [
      [1, 2],
      [3, 4],
    ],
    extra: { v: 1 },
  },
  // Every value but det misfits its column; det must still be written.
  { det: 2.5, count: 2.5, label: 5, cam: [[1, 2, 3]], extra: { v: Number.NaN } },
  {
    det: "high",
    count: 3,
    label: "c",
    cam: [
      [5, 6],
      [7, 8],
    ],
    extra: { v: Infinity },
  },
];

function misfitRun(rows = MISFITS): Doc[] {
  const run = composeRun({ metadata: { scan_id: 7 } });
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      det: { dtype: "number", shape: [], source: "sim:det" },
      count: { dtype: "integer", shape: [], source: "sim:count" },
      label: { dtype: "string", shape: [], source: "sim:label" },
      cam: { dtype: "array", shape: [2, 2], source: "sim:cam", dtype_numpy: "<u2" },
      // Not a string: stored as JSON text.
      extra: { dtype: "string", shape: [], source: "sim:extra" },
    },
  });
  const docs: Doc[] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
  ];
  rows.forEach((data, i) => {
    const timestamps = Object.fromEntries(Object.keys(data).map((k) => [k, 10 + i]));
    docs.push(["event", primary.composeEvent({ data, timestamps, time: 100 + i })]);
  });
  docs.push(["stop", run.composeStop({ exit_status: "success" })]);
  return docs;
}

describe("HDF5 serializer, values that do not fit their dataset", () => {
  it("keeps the event, writes the fill value, keeps the raw value and warns once per key", async (t) => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => {
      if ((w as NodeJS.ErrnoException).code === "SUITCASE_HDF5_MISFIT") warnings.push(w);
    };
    process.on("warning", onWarning);
    t.after(() => process.off("warning", onWarning));
    const serializer = await createHdf5Serializer({ directory: tempDir(t), template: "{scan_id}" });
    feed(serializer, misfitRun());
    const [path] = await serializer.close();
    // Warnings are delivered on a later tick.
    await once(process, "warning");
    await new Promise((r) => setImmediate(r));
    await h5wasm.ready;
    const file = new h5wasm.File(path as string, "r");
    try {
      const value = (p: string) => (file.get(p) as Dataset).value;
      assert.deepEqual(Array.from(value(`${STREAM}/seq_num`) as BigInt64Array, Number), [1, 2, 3]);
      const det = Array.from(value(`${STREAM}/data/det`) as Float64Array);
      assert.deepEqual(det.slice(0, 2), [1.5, 2.5]);
      assert.ok(Number.isNaN(det[2]), "the misfit float becomes NaN");
      assert.deepEqual(
        Array.from(value(`${STREAM}/data/count`) as BigInt64Array, Number),
        [1, 0, 3],
      );
      assert.deepEqual(value(`${STREAM}/data/label`), ["a", "", "c"]);
      assert.deepEqual(
        Array.from(value(`${STREAM}/data/cam`) as Uint16Array),
        [1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8],
      );
      const misfits = (value(`${STREAM}/misfits`) as string[]).map((m) => parseJson(m));
      assert.deepEqual(
        misfits.map((m) => {
          const { key, seq_num, value } = m as Record<string, unknown>;
          return { key, seq_num, value };
        }),
        [
          { key: "det", seq_num: 3, value: "high" },
          { key: "count", seq_num: 2, value: 2.5 },
          { key: "label", seq_num: 2, value: 5 },
          { key: "cam", seq_num: 2, value: [[1, 2, 3]] },
        ].sort((a, b) => a.seq_num - b.seq_num),
      );
      assert.match((misfits[0] as { expected: string }).expected, /int64/);
    } finally {
      file.close();
    }
    assert.equal(warnings.length, 4, warnings.map((w) => w.message).join("\n"));
    const cam = warnings.find((w) => /key "cam"/.test(w.message));
    assert.ok(cam);
    assert.match(cam.message, /stream "primary", key "cam", seq_num 2/);
    assert.match(cam.message, /\[\[1,2,3\]\]/);
    assert.match(cam.message, /uint16 of shape \[2,2\]/);
    h5dump("-H", path as string);
  });

  it("keeps NaN and Infinity in values stored as JSON text", async (t) => {
    const serializer = await createHdf5Serializer({ directory: tempDir(t), template: "{scan_id}" });
    const cam = [
      [1, 2],
      [3, 4],
    ];
    const extras = [{ v: 1 }, { v: Number.NaN }, { v: Infinity }, { v: -Infinity }];
    feed(
      serializer,
      misfitRun(extras.map((extra) => ({ det: 1, count: 1, label: "a", cam, extra }))),
    );
    const [path] = await serializer.close();
    await h5wasm.ready;
    const file = new h5wasm.File(path as string, "r");
    try {
      const extra = (file.get(`${STREAM}/data/extra`) as Dataset).value as string[];
      assert.deepEqual(
        extra.map((e) => parseJson(e)),
        extras,
      );
    } finally {
      file.close();
    }
  });
});
