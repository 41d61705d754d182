// Big runs stream through every writer without the run piling up in memory: the heap and the
// array buffers after a full garbage collection stay far below what holding the run would take.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { composeRun } from "@cerulean/event-model";
import type { Serializer, SerializerOptions } from "../src/core/run-serializer.ts";
import { createCsvSerializer } from "../src/csv/csv-serializer.ts";
import { createHdf5Serializer } from "../src/hdf5/hdf5-serializer.ts";
import { createJsonlSerializer } from "../src/jsonl/jsonl-serializer.ts";
import { createMsgpackSerializer } from "../src/msgpack/msgpack-serializer.ts";
import { createTiffSerializer } from "../src/tiff/tiff-serializer.ts";
import { tempDir } from "./fixtures.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function memory(): { heap: number; buffers: number } {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, buffers: arrayBuffers };
}

const MB = 1024 * 1024;
const EVENTS = 100_000;

/** Feeds a run of `EVENTS` scalar events, made one at a time; returns the heap growth while open. */
function streamScalarRun(serializer: Serializer, keep?: unknown[]): number {
  const run = composeRun({ metadata: { scan_id: 1 } });
  const d = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor: { dtype: "number", shape: [], source: "m" },
      det: { dtype: "number", shape: [], source: "d" },
      status: { dtype: "string", shape: [], source: "s" },
    },
  });
  serializer("start", run.startDoc);
  serializer("descriptor", d.descriptorDoc);
  const before = memory().heap;
  for (let i = 1; i <= EVENTS; i++) {
    const event = d.composeEvent({
      data: { motor: i / 1000, det: Math.sin(i), status: `ok ${i}` },
      timestamps: { motor: i, det: i, status: i },
      validate: false,
    });
    serializer("event", event);
    keep?.push(event);
  }
  const grown = memory().heap - before;
  serializer("stop", run.composeStop({ validate: false }));
  return grown;
}

const scalarWriters: [string, (o: SerializerOptions) => Serializer | Promise<Serializer>][] = [
  ["JSON lines", createJsonlSerializer],
  ["msgpack", createMsgpackSerializer],
  ["CSV", createCsvSerializer],
  ["HDF5", createHdf5Serializer],
];

describe("large runs stream to disk", () => {
  it(`${EVENTS} events pass through every writer without being held in memory`, async (t) => {
    // What holding the run would cost, measured the same way.
    const held: unknown[] = [];
    const heldGrowth = streamScalarRun(
      Object.assign(() => {}, { close: async () => [], files: [], closed: false }),
      held,
    );
    assert.ok(
      heldGrowth > 20 * MB,
      `holding the run should take memory (took ${heldGrowth / MB} MB)`,
    );
    held.length = 0;
    for (const [format, create] of scalarWriters) {
      const serializer = await create({ directory: tempDir(t) });
      const growth = streamScalarRun(serializer);
      const files = await serializer.close();
      assert.ok(
        growth < heldGrowth / 4,
        `${format}: the heap grew by ${(growth / MB).toFixed(1)} MB during the run; holding it takes ${(heldGrowth / MB).toFixed(1)} MB`,
      );
      assert.ok(statSync(files[0] as string).size > EVENTS * 10, `${format} wrote too little`);
    }
  });

  for (const [format, create] of [
    ["TIFF stack", (o: SerializerOptions) => createTiffSerializer(o)],
    ["HDF5", (o: SerializerOptions) => createHdf5Serializer(o)],
  ] as const) {
    it(`1,000 frames of 512x512 stream through the ${format} writer without being held`, async (t) => {
      const frames = 1000;
      const side = 512;
      const serializer = await create({ directory: tempDir(t) });
      const run = composeRun();
      const d = run.composeDescriptor({
        name: "primary",
        data_keys: {
          cam: { dtype: "array", shape: [side, side], source: "c", dtype_numpy: "<u2" },
        },
      });
      serializer("start", run.startDoc);
      serializer("descriptor", d.descriptorDoc);
      const before = memory().buffers;
      for (let i = 0; i < frames; i++) {
        // A fresh buffer per frame, as a detector delivers them: kept frames would add up.
        const cam = new Uint16Array(side * side).fill(i);
        serializer(
          "event",
          d.composeEvent({ data: { cam }, timestamps: { cam: i }, validate: false }),
        );
      }
      const growth = memory().buffers - before;
      serializer("stop", run.composeStop({ validate: false }));
      const [file] = await serializer.close();
      const runBytes = frames * side * side * 2;
      assert.ok(
        growth < runBytes / 8,
        `${format}: buffers grew by ${(growth / MB).toFixed(0)} MB for a ${runBytes / MB} MB run`,
      );
      assert.ok(
        statSync(file as string).size >= runBytes,
        `${format}: the file holds less than the frames`,
      );
    });
  }
});
