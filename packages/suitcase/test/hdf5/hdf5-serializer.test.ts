import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { parseJson } from "@cerulean/event-model";
import h5wasm from "h5wasm/node";
import { FileWriteError } from "../../src/errors.ts";
import { createHdf5Serializer } from "../../src/hdf5/hdf5-serializer.ts";
import {
  camFrame,
  type Doc,
  detAt,
  detectorPixel,
  feed,
  filestoreRun,
  scalarRun,
  streamRun,
  tempDir,
  writeDetectorFile,
} from "../fixtures.ts";
import { fillDiskAt } from "../full-disk.ts";
import { h5dump } from "../tools.ts";

type Dataset = InstanceType<typeof h5wasm.Dataset>;
const STREAM = "entry/bluesky/streams/primary";

async function withFile<T>(
  path: string,
  read: (file: InstanceType<typeof h5wasm.File>) => T,
): Promise<T> {
  await h5wasm.ready;
  const file = new h5wasm.File(path, "r");
  try {
    return read(file);
  } finally {
    file.close();
  }
}

const values = (file: InstanceType<typeof h5wasm.File>, path: string) => {
  const node = file.get(path);
  assert.ok(node instanceof h5wasm.Dataset, `${path} is not a dataset`);
  return (node as Dataset).value;
};

async function writeRun(
  dir: string,
  docs: readonly Doc[],
  template = "{scan_id}",
): Promise<string> {
  const serializer = await createHdf5Serializer({ directory: dir, template });
  feed(serializer, docs);
  const [file] = await serializer.close();
  return file as string;
}

describe("HDF5 / NeXus serializer", () => {
  it("round-trips every stream as a row per event, with the documents as metadata", async (t) => {
    const docs = scalarRun({ events: 5, image: [3, 5] });
    const path = await writeRun(tempDir(t), docs);
    assert.equal(basename(path), "42.h5");
    const events = docs.filter(
      ([name, doc]) => name === "event" && "det" in (doc["data"] as object),
    );
    const column = (key: string) =>
      events.map(([, e]) => (e["data"] as Record<string, unknown>)[key]);
    await withFile(path, (file) => {
      assert.deepEqual(
        Array.from(values(file, `${STREAM}/data/det`) as Float64Array),
        column("det"),
      );
      assert.deepEqual(
        Array.from(values(file, `${STREAM}/data/motor`) as Float64Array),
        column("motor"),
      );
      assert.deepEqual(values(file, `${STREAM}/data/label`), column("label"));
      assert.deepEqual(
        Array.from(values(file, `${STREAM}/data/flag`) as Uint8Array),
        column("flag").map(Number),
      );
      assert.deepEqual(
        Array.from(values(file, `${STREAM}/data/count`) as BigInt64Array, Number),
        column("count"),
      );
      const spectrum = values(file, `${STREAM}/data/spectrum`) as Float64Array;
      assert.deepEqual(Array.from(spectrum), column("spectrum").flat());
      const cam = file.get(`${STREAM}/data/cam`) as Dataset;
      assert.deepEqual(cam.shape, [5, 3, 5]);
      assert.deepEqual(
        Array.from(cam.value as Uint16Array),
        [1, 2, 3, 4, 5].flatMap((s) => camFrame(s, 3, 5).flat()),
      );
      assert.deepEqual(
        Array.from(values(file, `${STREAM}/seq_num`) as BigInt64Array, Number),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        values(file, `${STREAM}/uid`),
        events.map(([, e]) => e["uid"]),
      );
      assert.deepEqual(
        Array.from(values(file, `${STREAM}/timestamps/det`) as Float64Array),
        [1, 2, 3, 4, 5].map((s) => 1_700_000_000 + s),
      );
      assert.deepEqual(
        Array.from(values(file, "entry/bluesky/streams/baseline/data/temperature") as Float64Array),
        [295.5, 296.25],
      );
      const start = docs[0]?.[1];
      const stop = docs.at(-1)?.[1];
      assert.deepEqual(parseJson(values(file, "entry/bluesky/start") as string), start);
      assert.deepEqual(parseJson(values(file, "entry/bluesky/stop") as string), stop);
      const descriptors = values(file, `${STREAM}/descriptors`) as string[];
      assert.deepEqual(
        descriptors.map((d) => parseJson(d)),
        [docs[1]?.[1]],
      );
      assert.equal(values(file, "entry/bluesky/metadata/sample"), "Si 111");
      assert.equal(values(file, "entry/bluesky/metadata/scan_id"), 42n);
      assert.equal(values(file, "entry/entry_identifier"), start?.["uid"]);
      assert.equal(values(file, "entry/exit_status"), "success");
    });
  });

  it("is a NeXus file whose default plot is the hinted signal against the scanned motor (h5dump)", async (t) => {
    const path = await writeRun(tempDir(t), scalarRun({ events: 3, image: [2, 2] }));
    const attrs = (object: string) => h5dump("-A", "-g", object, path);
    assert.match(h5dump("-A", "-a", "/NX_class", path), /"NXroot"/);
    assert.match(h5dump("-a", "/default", path), /"entry"/);
    assert.match(attrs("/entry"), /ATTRIBUTE "NX_class"[\s\S]*?"NXentry"/);
    assert.match(h5dump("-a", "/entry/default", path), /"data"/);
    const nxdata = attrs("/entry/data");
    assert.match(nxdata, /ATTRIBUTE "NX_class"[\s\S]*?"NXdata"/);
    assert.match(nxdata, /ATTRIBUTE "signal"[\s\S]*?"det"/);
    assert.match(nxdata, /ATTRIBUTE "axes"[\s\S]*?"motor"/);
    assert.match(nxdata, /ATTRIBUTE "motor_indices"[\s\S]*?\(0\): 0/);
    assert.match(h5dump("-d", "/entry/data/det", path), /\(0\): 1\.75, 3\.25, 4\.75/);
    assert.match(h5dump("-d", "/entry/data/motor", path), /\(0\): 0\.1, 0\.2, 0\.3/);
    const layout = h5dump("-p", "-H", "-d", `/${STREAM}/data/cam`, path);
    assert.match(layout, /H5T_STD_U16LE/);
    assert.match(layout, /DATASPACE\s+SIMPLE \{ \( 3, 2, 2 \) \/ \( H5S_UNLIMITED, 2, 2 \) \}/);
    assert.match(layout, /CHUNKED \( \d+, 2, 2 \)/);
    assert.match(h5dump("-d", `/${STREAM}/data/label`, path), /"point 1, "odd" /);
  });

  it("appends while the run goes: another process reads the rows written so far", async (t) => {
    const dir = tempDir(t);
    const docs = scalarRun({ events: 6 });
    const serializer = await createHdf5Serializer({ directory: dir, batchRows: 1 });
    feed(serializer, docs.slice(0, 7));
    const path = serializer.files[0] as string;
    assert.match(
      h5dump("-d", `/${STREAM}/seq_num`, path),
      /SIMPLE \{ \( 3 \) \/ \( H5S_UNLIMITED \) \}[\s\S]*\(0\): 1, 2, 3\s/,
    );
    feed(serializer, docs.slice(7));
    assert.match(h5dump("-d", `/${STREAM}/seq_num`, path), /\(0\): 1, 2, 3, 4, 5, 6\s/);
  });

  it("links the detector's frames from stream_resource instead of copying them", async (t) => {
    const dir = tempDir(t);
    const detector = join(dir, "det", "pilatus.h5");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "det"));
    await writeDetectorFile(detector, 4, 256, 256);
    const path = await writeRun(join(dir, "runs"), streamRun(detector, 4, 256, 256));
    assert.match(
      h5dump("-H", "-g", `/${STREAM}/data`, path),
      /EXTERNAL_LINK "pilatus" \{\s*TARGETFILE "\.\.\/det\/pilatus\.h5"\s*TARGETPATH "\/entry\/data\/data"/,
    );
    assert.ok(statSync(path).size < statSync(detector).size, "the frames were copied");
    const frames = h5dump("-d", "/entry/data/pilatus", "-s", "3,255,254", "-c", "1,1,1", path);
    assert.match(frames, new RegExp(`\\(3,255,254\\): ${detectorPixel(3, 255, 254, 256, 256)}\\b`));
    assert.match(h5dump("-a", "/entry/data/signal", path), /"pilatus"/);
    await withFile(path, (file) => {
      const linked = file.get(`${STREAM}/data/pilatus`) as Dataset;
      assert.deepEqual(linked.shape, [4, 256, 256]);
      const datums = (values(file, "entry/bluesky/documents/stream_datum") as string[]).map((d) =>
        parseJson(d),
      );
      assert.deepEqual(
        datums.map((d) => (d as { indices: unknown }).indices),
        [0, 1, 2, 3].map((i) => ({ start: i, stop: i + 1 })),
      );
    });
  });

  it("links AD_HDF5 resources and keeps the datum ids of each event", async (t) => {
    const dir = tempDir(t);
    const detector = join(dir, "cam.h5");
    await writeDetectorFile(detector, 3, 2, 2);
    const docs = filestoreRun(detector, 3, 2, 2);
    const path = await writeRun(join(dir, "out"), docs);
    assert.match(
      h5dump("-H", "-g", `/${STREAM}/data`, path),
      /EXTERNAL_LINK "cam" \{\s*TARGETFILE "\.\.\/cam\.h5"/,
    );
    assert.match(
      h5dump("-d", `/${STREAM}/data/cam`, "-s", "2,1,1", "-c", "1,1,1", path),
      new RegExp(`\\(2,1,1\\): ${detectorPixel(2, 1, 1, 2, 2)}\\b`),
    );
    const datumIds = docs.filter(([n]) => n === "datum").map(([, d]) => d["datum_id"]);
    await withFile(path, (file) =>
      assert.deepEqual(values(file, `${STREAM}/datum_id/cam`), datumIds),
    );
  });

  it("records how an aborted run ended and closes the file", async (t) => {
    const path = await writeRun(tempDir(t), scalarRun({ events: 2, end: "abort" }));
    assert.match(h5dump("-d", "/entry/exit_status", path), /"abort"/);
    assert.match(h5dump("-d", "/entry/end_time", path), /"20\d\d-/);
    assert.ok(detAt(1) > 0);
  });

  it("throws a FileWriteError naming the file when the disk fills (h5wasm says nothing)", async (t) => {
    const dir = tempDir(t);
    const serializer = await createHdf5Serializer({ directory: dir, batchRows: 4 });
    fillDiskAt(t, () => 96 * 1024);
    const docs = scalarRun({ events: 40, image: [64, 64] });
    const fail = (err: unknown) =>
      err instanceof FileWriteError && err.path.endsWith(".h5") && /ENOSPC/.test(err.message);
    let failure: unknown;
    try {
      feed(serializer, docs);
      await serializer.close();
    } catch (err) {
      failure = err;
    }
    assert.ok(fail(failure), `expected a FileWriteError, got ${String(failure)}`);
  });
});
