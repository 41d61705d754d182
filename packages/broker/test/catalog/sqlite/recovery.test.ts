// What the catalog does when things go wrong mid-run: a catalog process restarted in the middle
// of a run, a commit that fails, a run ingested again after an interrupted ingest. Nothing
// acknowledged may be lost and nothing may be stored twice.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { Catalog, type CatalogStorage, SqliteStorage } from "../../../src/index.ts";
import { detValue, makeRun, writeAll } from "../../fixtures/runs.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-recovery-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const detColumn = async (catalog: Catalog, uid: string) => {
  const { data } = await (await (await catalog.get(uid)).stream()).read();
  return Array.from(data["det"] as Float64Array);
};
const expected = (n: number) => Array.from({ length: n }, (_, i) => detValue(i));

/** A storage whose next `failures` writes throw, as a full disk or a busy database would. */
function failingWrites(storage: SqliteStorage, failures: { left: number }): CatalogStorage {
  return new Proxy(storage, {
    get(target, key) {
      if (key === "write") {
        return async (ops: Parameters<SqliteStorage["write"]>[0]) => {
          if (failures.left > 0) {
            failures.left--;
            throw new Error("disk I/O error (simulated)");
          }
          return target.write(ops);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("catalog recovery", () => {
  test("each document written as soon as the previous write resolved is committed", async () => {
    const catalog = new Catalog(new SqliteStorage({ path: ":memory:" }));
    const docs = makeRun({ events: 3 });
    // Sequential awaits: every write starts while the previous commit is finishing.
    for (const [name, doc] of docs) await catalog.write(name, doc);
    const uid = (docs[0]![1] as { uid: string }).uid;
    assert.equal((await catalog.get(uid)).stop?.exit_status, "success");
    await catalog.close();
  });

  test("a catalog reopened in the middle of a run stores the rest of it", async () => {
    const path = join(dir, "reopen.sqlite");
    const docs = makeRun({ events: 6 });
    const cut = docs.findIndex(([name]) => name === "event") + 3;
    const first = new Catalog(new SqliteStorage({ path }));
    await writeAll(first, docs.slice(0, cut));
    await first.close();
    const second = new Catalog(new SqliteStorage({ path }));
    await writeAll(second, docs.slice(cut));
    const uid = (docs[0]![1] as { uid: string }).uid;
    assert.deepEqual(await detColumn(second, uid), expected(6));
    assert.equal((await second.get(uid)).stop?.exit_status, "success");
    const replayed: NamedDocument[] = [];
    for await (const named of (await second.get(uid)).documents()) replayed.push(named);
    assert.deepEqual(
      replayed.map(([name]) => name),
      docs.map(([name]) => name),
    );
    await second.close();
  });

  test("a commit that fails once is retried: nothing given to insert is lost", async () => {
    const failures = { left: 1 };
    const catalog = new Catalog(failingWrites(new SqliteStorage({ path: ":memory:" }), failures), {
      maxDelayMs: 1,
    });
    const docs = makeRun({ events: 5 });
    for (const named of docs) catalog.insert(...named);
    await catalog.flush();
    assert.equal(failures.left, 0, "the simulated failure happened");
    assert.deepEqual(await detColumn(catalog, (docs[0]![1] as { uid: string }).uid), expected(5));
    await catalog.close();
  });

  test("a commit that keeps failing is reported once, and the next run is stored whole", async () => {
    const failures = { left: 3 };
    const catalog = new Catalog(failingWrites(new SqliteStorage({ path: ":memory:" }), failures), {
      maxDelayMs: 1,
    });
    const lost = makeRun({ events: 3 });
    for (const named of lost) catalog.insert(...named);
    await assert.rejects(catalog.flush(), /after 3 attempts: disk I\/O error/);
    const next = makeRun({ events: 4 });
    for (const named of next) catalog.insert(...named);
    await catalog.flush();
    assert.deepEqual(await detColumn(catalog, (next[0]![1] as { uid: string }).uid), expected(4));
    await catalog.close();
  });

  test("a run ingested again after an interrupted ingest gets its tail, stored once", async () => {
    const catalog = new Catalog(new SqliteStorage({ path: ":memory:" }));
    const docs = makeRun({ events: 5, baseline: true });
    const firstEvents = docs.findIndex(([name]) => name === "event") + 2;
    await writeAll(catalog, docs.slice(0, firstEvents));
    await writeAll(catalog, docs);
    const uid = (docs[0]![1] as { uid: string }).uid;
    assert.deepEqual(await detColumn(catalog, uid), expected(5));
    assert.equal((await catalog.get(uid)).stop?.exit_status, "success");
    const replayed: NamedDocument[] = [];
    for await (const named of (await catalog.get(uid)).documents()) replayed.push(named);
    assert.equal(replayed.length, docs.length, "no document stored twice");
    // A complete run ingested again is still skipped whole.
    await writeAll(catalog, docs);
    const again: NamedDocument[] = [];
    for await (const named of (await catalog.get(uid)).documents()) again.push(named);
    assert.equal(again.length, docs.length);
    await catalog.close();
  });
});
