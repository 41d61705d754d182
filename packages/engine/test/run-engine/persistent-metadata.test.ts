import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { count, MetadataPersistenceError, persistentMetadata, RunEngine } from "../../src/index.ts";
import { docsNamed, recordingEngine } from "../helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-engine-md-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `md-${files++}`, "run-engine-md.json");
const onDisk = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

test("a set key is on disk when the assignment returns; a new store reads it back", () => {
  const path = freshPath();
  const store = persistentMetadata(path);
  store.md["sample"] = "Si";
  assert.deepEqual(onDisk(path), { sample: "Si" });
  delete store.md["sample"];
  store.md["proposal"] = "P1";
  assert.deepEqual(onDisk(path), { proposal: "P1" });
  assert.deepEqual({ ...persistentMetadata(path).md }, { proposal: "P1" });
  // No temp file is left behind.
  assert.deepEqual(readdirSync(join(path, "..")), ["run-engine-md.json"]);
});

test("scan_id is on disk before the start document goes out, and continues in a new engine", async () => {
  const { det } = await createSimBeamline({ seed: 1 });
  const path = freshPath();
  const store = persistentMetadata(path);
  const { RE, docs } = recordingEngine({ md: store.md, scanIdSource: store.nextScanId });
  const seenAtStart: unknown[] = [];
  RE.subscribe((name, doc) => {
    if (name === "start") seenAtStart.push([doc.scan_id, onDisk(path)]);
  });
  await RE.call(count([det], 1));
  await RE.call(count([det], 1));
  assert.deepEqual(seenAtStart, [
    [1, { scan_id: 1 }],
    [2, { scan_id: 2 }],
  ]);
  assert.equal(docsNamed(docs, "start").length, 2);
  // `versions`, recomputed by every RunEngine, is not stored.
  assert.ok(typeof RE.md["versions"] === "object");

  const again = persistentMetadata(path);
  const next = recordingEngine({ md: again.md, scanIdSource: again.nextScanId });
  await next.RE.call(count([det], 1));
  assert.deepEqual(
    docsNamed(next.docs, "start").map((d) => d["scan_id"]),
    [3],
  );
});

test("defaults (profile metadata) apply at every open, win over stored copies, are not stored unchanged", () => {
  const path = freshPath();
  const first = persistentMetadata(path, { defaults: { proposal: "P2", beamline_id: "bl1" } });
  first.md["scan_id"] = 4;
  first.md["sample"] = "Si";
  assert.deepEqual(onDisk(path), { scan_id: 4, sample: "Si" });
  first.md["proposal"] = "P9";
  assert.deepEqual(onDisk(path), { scan_id: 4, sample: "Si", proposal: "P9" });

  // The profile changed P2 -> P3: the profile wins over the stored copy.
  const edited = persistentMetadata(path, { defaults: { proposal: "P3", beamline_id: "bl1" } });
  assert.deepEqual(
    { ...edited.md },
    { scan_id: 4, sample: "Si", proposal: "P3", beamline_id: "bl1" },
  );
  edited.md["scan_id"] = 5;
  assert.deepEqual(onDisk(path), { scan_id: 5, sample: "Si" });

  // Another profile on the same data directory sees none of the first profile's keys.
  const other = persistentMetadata(path, { defaults: { operator: "ana" } });
  assert.deepEqual({ ...other.md }, { scan_id: 5, sample: "Si", operator: "ana" });
});

test("a profile's scan_id never takes back a stored one", () => {
  const path = freshPath();
  persistentMetadata(path).md["scan_id"] = 7;
  const store = persistentMetadata(path, { defaults: { scan_id: 100 } });
  assert.equal(store.md["scan_id"], 7);
  assert.equal(persistentMetadata(freshPath(), { defaults: { scan_id: 100 } }).md["scan_id"], 100);
});

test("a file written before profiles were kept apart keeps only its scan_id", () => {
  const path = freshPath();
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, JSON.stringify({ scan_id: 12, beamline_id: "other", versions: {} }));
  const store = persistentMetadata(path, { defaults: { proposal: "P1" } });
  assert.deepEqual({ ...store.md }, { scan_id: 12, proposal: "P1" });
});

test("nextScanId follows another process that moved the file's scan_id on", () => {
  const path = freshPath();
  const mine = persistentMetadata(path);
  mine.md["scan_id"] = 3;
  persistentMetadata(path).md["scan_id"] = 9;
  assert.equal(mine.nextScanId(mine.md), 10);
  mine.md["scan_id"] = 0; // the user starts a new count
  assert.equal(mine.nextScanId(mine.md), 1);
});

test("an unreadable file and an unwritable path are named errors; a failed set is undone", async () => {
  const path = freshPath();
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "{not json");
  assert.throws(() => persistentMetadata(path), MetadataPersistenceError);
  writeFileSync(path, "[1]");
  assert.throws(() => persistentMetadata(path), /expected a JSON object/);

  // A directory where the temp file's directory should be: every write fails.
  const blocked = join(dir, "blocked");
  writeFileSync(blocked, "a file, not a directory");
  const store = persistentMetadata(join(blocked, "run-engine-md.json"));
  assert.throws(
    () => {
      store.md["scan_id"] = 1;
    },
    (err: unknown) => err instanceof MetadataPersistenceError && /cannot save/.test(err.message),
  );
  assert.equal("scan_id" in store.md, false);

  // Nothing on disk means no run: the engine refuses to open one with an unsaved scan_id.
  const RE = new RunEngine({
    md: store.md,
    scanIdSource: store.nextScanId,
    log: { info() {}, warn() {} },
  });
  const { det } = await createSimBeamline({ seed: 1 });
  await assert.rejects(RE.call(count([det], 1)), MetadataPersistenceError);
});
