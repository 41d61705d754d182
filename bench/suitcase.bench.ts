// Write speed of each suitcase serializer on a 100,000-event run (events/s and MB/s, files synced
// on close), beside the raw disk speed measured in the same process: 1 MB writeSync blocks + fsync.
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeRun } from "@cerulean/event-model";
import {
  createCsvSerializer,
  createHdf5Serializer,
  createJsonlSerializer,
  createMsgpackSerializer,
  createTiffSerializer,
  type Serializer,
  type SerializerOptions,
} from "@cerulean/suitcase";
import { quick, report } from "./harness.ts";

const events = quick ? 10_000 : 100_000;
const frames = quick ? 50 : 500;
const side = 512;
const repeats = quick ? 1 : 3;

type Doc = [string, unknown];

/** A scan: motor, det, a status string and an 8-point spectrum per event. */
function scalarRun(): Doc[] {
  const run = composeRun({ metadata: { plan_name: "scan", scan_id: 1 } });
  const d = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor: { dtype: "number", shape: [], source: "sim:motor" },
      det: { dtype: "number", shape: [], source: "sim:det" },
      status: { dtype: "string", shape: [], source: "sim:status" },
      spectrum: { dtype: "array", shape: [8], source: "sim:spectrum", dtype_numpy: "<f8" },
    },
    hints: { det: { fields: ["det"] } },
  });
  const docs: Doc[] = [
    ["start", run.startDoc],
    ["descriptor", d.descriptorDoc],
  ];
  for (let i = 0; i < events; i++) {
    const t = 1_700_000_000 + i;
    const data = {
      motor: i / 1000,
      det: Math.sin(i),
      status: "ok",
      spectrum: Array.from({ length: 8 }, (_, k) => i + k / 8),
    };
    docs.push([
      "event",
      d.composeEvent({
        data,
        timestamps: { motor: t, det: t, status: t, spectrum: t },
        time: t,
        validate: false,
      }),
    ]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}

/** Frames of 512x512 uint16 filled in the events. */
function imageRun(): Doc[] {
  const run = composeRun({ metadata: { plan_name: "count", scan_id: 2 } });
  const d = run.composeDescriptor({
    name: "primary",
    data_keys: {
      cam: { dtype: "array", shape: [side, side], source: "sim:cam", dtype_numpy: "<u2" },
    },
  });
  const docs: Doc[] = [
    ["start", run.startDoc],
    ["descriptor", d.descriptorDoc],
  ];
  for (let i = 0; i < frames; i++) {
    const cam = new Uint16Array(side * side).fill(i);
    docs.push([
      "event",
      d.composeEvent({ data: { cam }, timestamps: { cam: i }, validate: false }),
    ]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Times writing `docs` from start to closed (synced) files; reports rows/s and MB/s. */
async function bench(
  name: string,
  unit: string,
  rows: number,
  docs: readonly Doc[],
  create: (o: SerializerOptions) => Serializer | Promise<Serializer>,
): Promise<void> {
  const seconds: number[] = [];
  let bytes = 0;
  for (let r = 0; r <= repeats; r++) {
    const directory = mkdtempSync(join(tmpdir(), "suitcase-bench-"));
    try {
      const serializer = await create({ directory });
      const t0 = process.hrtime.bigint();
      for (const [docName, doc] of docs) serializer(docName, doc);
      const files = await serializer.close();
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      bytes = files.reduce((n, f) => n + statSync(f).size, 0);
      if (r > 0) seconds.push(elapsed); // the first is a warm-up
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  const s = median(seconds);
  report({ name: `suitcase.${name}`, unit, n: rows, value: rows / s });
  report({
    name: `suitcase.${name}_bytes`,
    unit: "MB/s",
    n: Math.round(bytes / 1e6),
    value: bytes / 1e6 / s,
  });
}

/** dd-style: `megabytes` 1 MB blocks with writeSync, then fsync, in the same temp directory. */
function rawDisk(megabytes: number): void {
  const seconds: number[] = [];
  const block = Buffer.alloc(1024 * 1024, 0x5a);
  for (let r = 0; r <= repeats; r++) {
    const directory = mkdtempSync(join(tmpdir(), "suitcase-bench-"));
    try {
      const fd = openSync(join(directory, "raw.bin"), "wx");
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < megabytes; i++) writeSync(fd, block);
      fsyncSync(fd);
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      closeSync(fd);
      if (r > 0) seconds.push(elapsed);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  report({
    name: "suitcase.raw_disk_write",
    unit: "MB/s",
    n: megabytes,
    value: (megabytes * 1024 * 1024) / 1e6 / median(seconds),
  });
}

rawDisk(quick ? 64 : 512);
const scalars = scalarRun();
await bench("jsonl", "events/s", events, scalars, createJsonlSerializer);
await bench("msgpack", "events/s", events, scalars, createMsgpackSerializer);
await bench("csv", "events/s", events, scalars, createCsvSerializer);
await bench("hdf5", "events/s", events, scalars, createHdf5Serializer);
const images = imageRun();
await bench("tiff_stack_512x512", "frames/s", frames, images, createTiffSerializer);
await bench("hdf5_512x512", "frames/s", frames, images, createHdf5Serializer);
