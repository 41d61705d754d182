// Ingest rules every storage must share: idempotent re-ingest, refused uid reuse, orphans.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { composeRun, EventModelValidationError } from "@cerulean/event-model";
import { Catalog, DuplicateUniqueIdError, eq, OrphanDocumentError } from "../../../src/index.ts";
import { makeRun, writeAll } from "../../fixtures/runs.ts";
import type { StorageFactory } from "./storage-factory.ts";

/** Registers the ingest tests for one backend. */
export function ingestContract(factory: StorageFactory): void {
  describe(`${factory.label}: ingest`, () => {
    let catalog: Catalog;

    before(async () => {
      catalog = new Catalog(await factory.create());
    });
    after(async () => catalog.close());

    test("ingesting the same run twice stores it once", async () => {
      const docs = makeRun({ events: 4, metadata: { scan_id: 1 } });
      await writeAll(catalog, docs);
      await writeAll(catalog, docs);
      assert.equal(await catalog.count(eq("scan_id", 1)), 1);
      const table = await (await (await catalog.get(1)).stream()).read();
      assert.equal(table.length, 4);
    });

    test("a start uid reused with other metadata is refused", async () => {
      const docs = makeRun({ events: 1, metadata: { scan_id: 2 } });
      await writeAll(catalog, docs);
      const [, start] = docs[0]!;
      await assert.rejects(
        catalog.write("start", { ...start, scan_id: 3 }),
        DuplicateUniqueIdError,
      );
      assert.equal((await catalog.get(2)).start.scan_id, 2);
    });

    test("a document for an unknown run is refused; the rest of its batch is stored", async () => {
      const orphan = makeRun({ events: 1 });
      const good = makeRun({ events: 2, metadata: { scan_id: 4 } });
      const results = await Promise.allSettled([
        catalog.write("descriptor", orphan[1]![1]),
        ...good.map(([name, doc]) => catalog.write(name, doc)),
      ]);
      assert.equal(results[0]?.status, "rejected");
      assert.ok((results[0] as PromiseRejectedResult).reason instanceof OrphanDocumentError);
      assert.ok(results.slice(1).every((r) => r.status === "fulfilled"));
      assert.equal((await (await (await catalog.get(4)).stream()).read()).length, 2);
    });

    test("an invalid document is refused at once, naming the problem", async () => {
      await assert.rejects(catalog.write("start", { uid: "x" }), EventModelValidationError);
      assert.throws(
        () => catalog.insert("start", { uid: "x" } as never),
        EventModelValidationError,
      );
    });

    test("insert() is a subscriber: documents are committed by flush()", async () => {
      const run = composeRun({ metadata: { scan_id: 5 } });
      const d = run.composeDescriptor({
        name: "primary",
        data_keys: { x: { dtype: "number", shape: [], source: "x" } },
      });
      catalog.insert("start", run.startDoc);
      catalog.insert("descriptor", d.descriptorDoc);
      for (let i = 0; i < 10; i++)
        catalog.insert("event", d.composeEvent({ data: { x: i }, timestamps: { x: 0 } }));
      catalog.insert("stop", run.composeStop());
      await catalog.flush();
      const stored = await catalog.get(5);
      assert.equal(stored.stop?.num_events?.["primary"], 10);
      assert.deepEqual(
        [...((await (await stored.stream()).read()).data["x"] as Float64Array)],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
    });

    test("a failure reported to insert() surfaces at the next flush", async () => {
      const orphan = makeRun({ events: 1 });
      catalog.insert("event", orphan[2]![1] as never);
      await assert.rejects(catalog.flush(), OrphanDocumentError);
      await catalog.flush();
    });
  });
}
