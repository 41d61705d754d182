// Run access every storage must share: columns, slices, replay, incomplete runs, filling.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { composeRun, type Event, type NamedDocument, type RunStart } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { Catalog, type CatalogStorage, StreamNotFoundError } from "../../../src/index.ts";
import { detValue, makeRun, writeAll } from "../../fixtures/runs.ts";
import type { StorageFactory } from "./storage-factory.ts";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A storage that counts the pages it hands out. */
function countingPages(storage: CatalogStorage): { storage: CatalogStorage; pages: () => number } {
  let pages = 0;
  const counting: CatalogStorage["pages"] = async function* (descriptors, seq) {
    for await (const page of storage.pages(descriptors, seq)) {
      pages++;
      yield page;
    }
  };
  const wrapped = new Proxy(storage, {
    get(target, prop) {
      if (prop === "pages") return counting;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { storage: wrapped, pages: () => pages };
}

/** Registers the run-access tests for one backend. */
export function accessContract(factory: StorageFactory): void {
  describe(`${factory.label}: run access`, () => {
    let storage: CatalogStorage;
    let catalog: Catalog;

    before(async () => {
      storage = await factory.create();
      catalog = new Catalog(storage, { pageRows: 100 });
    });
    after(async () => catalog.close());

    test("a stream reads back as columns: Float64Array for numbers, nested arrays for images", async () => {
      const docs = makeRun({ events: 4, image: true, baseline: true, metadata: { scan_id: 10 } });
      await writeAll(catalog, docs);
      const run = await catalog.get(10);
      assert.deepEqual(await run.streamNames(), ["primary", "baseline"]);
      const table = await (await run.stream()).read({ timestamps: true });
      assert.equal(table.length, 4);
      assert.ok(table.data["det"] instanceof Float64Array);
      assert.deepEqual([...table.data["det"]], [0, 1, 2, 3].map(detValue));
      assert.deepEqual([...(table.data["motor"] as Float64Array)], [0, 0.5, 1, 1.5]);
      assert.deepEqual([...table.seq_num], [1, 2, 3, 4]);
      assert.deepEqual(table.data["img"]?.[1], [
        [1, 2, 3],
        [4, 5, Number.NaN],
      ]);
      assert.deepEqual(
        [...(table.timestamps["det"] as Float64Array)],
        [1, 2, 3, 4].map((i) => 1_700_000_000 + i),
      );
      const baseline = await (await run.stream("baseline")).read();
      assert.deepEqual([...(baseline.data["temp"] as Float64Array)], [20.5]);
      await assert.rejects(run.stream("nope"), StreamNotFoundError);
    });

    test("rows come back in seq_num order with their data", async () => {
      const run = await catalog.get(10);
      const rows = await collect((await run.stream()).rows({ fields: ["det"], chunk: 3 }));
      assert.deepEqual(
        rows.map((r) => r.seq_num),
        [1, 2, 3, 4],
      );
      assert.deepEqual(rows[2]?.data, { det: detValue(2) });
    });

    test("a slice of a large stream reads only the pages that hold it", async () => {
      await writeAll(catalog, makeRun({ events: 1000, metadata: { scan_id: 11 } }));
      const counted = countingPages(storage);
      const sliced = new Catalog(counted.storage);
      const stream = await (await sliced.get(11)).stream();
      assert.equal(await stream.length(), 1000);
      const table = await stream.read({ start: 250, stop: 260 });
      assert.deepEqual(
        [...table.seq_num],
        Array.from({ length: 10 }, (_, i) => 251 + i),
      );
      assert.deepEqual(
        [...(table.data["det"] as Float64Array)],
        Array.from({ length: 10 }, (_, i) => detValue(250 + i)),
      );
      assert.equal(counted.pages(), 1, "rows 250..259 live in one page of 100");
      const tail = await stream.read({ start: 990 });
      assert.deepEqual(
        [...tail.seq_num],
        Array.from({ length: 10 }, (_, i) => 991 + i),
      );
    });

    test("replay returns every document exactly, in arrival order", async () => {
      const docs = [
        ...makeRun({ events: 3, image: true, baseline: true }),
        ...makeRun({ events: 3, asPage: true }),
      ];
      await writeAll(catalog, docs);
      const starts = docs
        .filter(([name]) => name === "start")
        .map(([, doc]) => (doc as RunStart).uid);
      const replayed: NamedDocument[] = [];
      for (const uid of starts)
        replayed.push(...(await collect((await catalog.get(uid)).documents())));
      assert.deepStrictEqual(replayed, docs);
      assertValidStream(replayed.map(([n, d]) => [n, JSON.parse(JSON.stringify(d))]));
    });

    test("events of two interleaved streams replay in their original order", async () => {
      const run = composeRun({ metadata: { scan_id: 12 } });
      const a = run.composeDescriptor({
        name: "primary",
        data_keys: { x: { dtype: "number", shape: [], source: "x" } },
      });
      const b = run.composeDescriptor({
        name: "monitor",
        data_keys: { y: { dtype: "number", shape: [], source: "y" } },
      });
      const docs: NamedDocument[] = [
        ["start", run.startDoc],
        ["descriptor", a.descriptorDoc],
        ["descriptor", b.descriptorDoc],
      ];
      for (let i = 0; i < 5; i++) {
        docs.push(["event", a.composeEvent({ data: { x: i }, timestamps: { x: i } })]);
        docs.push(["event", b.composeEvent({ data: { y: -i }, timestamps: { y: i } })]);
        docs.push(["event", b.composeEvent({ data: { y: -i - 0.5 }, timestamps: { y: i } })]);
      }
      docs.push(["stop", run.composeStop()]);
      await writeAll(catalog, docs);
      assert.deepStrictEqual(await collect((await catalog.get(12)).documents()), docs);
      const monitor = await (await (await catalog.get(12)).stream("monitor")).read();
      assert.equal(monitor.length, 10);
    });

    test("a run without a stop is listed as incomplete and its events stay readable", async () => {
      await writeAll(catalog, makeRun({ events: 7, incomplete: true, metadata: { scan_id: 13 } }));
      const run = await catalog.get(13);
      assert.equal(run.stop, null);
      assert.equal(run.complete, false);
      assert.equal(run.summary.duration, null);
      assert.deepEqual(await run.eventCounts(), { primary: 7 });
      assert.equal((await (await run.stream()).read()).length, 7);
      assert.ok((await catalog.search({ type: "eq", key: "scan_id", value: 13 })).length === 1);
      const done = await catalog.get(10);
      assert.equal(done.complete, true);
      assert.equal(done.summary.duration, 6);
    });

    test("a stream declared without events reads as an empty table", async () => {
      await writeAll(catalog, makeRun({ events: 2, emptyStream: true, metadata: { scan_id: 14 } }));
      const dark = await (await catalog.get(14)).stream("dark");
      const table = await dark.read();
      assert.equal(table.length, 0);
      assert.deepEqual([...(table.data["dark"] as Float64Array)], []);
    });

    test("a repeated seq_num keeps the latest event; rows are ordered by seq_num", async () => {
      const run = composeRun({ metadata: { scan_id: 15 } });
      const d = run.composeDescriptor({
        name: "primary",
        data_keys: { x: { dtype: "number", shape: [], source: "x" } },
      });
      const ev = (seq: number, x: number) =>
        d.composeEvent({ data: { x }, timestamps: { x: 0 }, seq_num: seq });
      const docs: NamedDocument[] = [
        ["start", run.startDoc],
        ["descriptor", d.descriptorDoc],
        ["event", ev(2, 20)],
        ["event", ev(1, 10)],
      ];
      await writeAll(catalog, docs);
      await writeAll(catalog, [
        ["event", ev(2, 21)],
        ["event", ev(3, 30)],
      ]);
      const table = await (await (await catalog.get(15)).stream()).read();
      assert.deepEqual([...table.seq_num], [1, 2, 3]);
      assert.deepEqual([...(table.data["x"] as Float64Array)], [10, 21, 30]);
    });

    test("external data is loaded through the Filler's handlers", async () => {
      const run = composeRun({ metadata: { scan_id: 16 } });
      const res = run.composeResource({
        spec: "TEST_SPEC",
        root: "/data",
        resource_path: "frames.bin",
        resource_kwargs: { scale: 2 },
      });
      const d = run.composeDescriptor({
        name: "primary",
        data_keys: { img: { dtype: "array", shape: [2], source: "cam", external: "FILESTORE:" } },
      });
      const docs: NamedDocument[] = [
        ["start", run.startDoc],
        ["descriptor", d.descriptorDoc],
        ["resource", res.resourceDoc],
      ];
      for (let i = 0; i < 3; i++) {
        const datum = res.composeDatum({ datum_kwargs: { n: i } });
        docs.push(["datum", datum]);
        docs.push([
          "event",
          d.composeEvent({
            data: { img: datum.datum_id },
            timestamps: { img: 0 },
            filled: { img: false },
          }),
        ]);
      }
      docs.push(["stop", run.composeStop()]);
      await writeAll(catalog, docs);
      const handlers = {
        TEST_SPEC:
          (_path: string, kwargs: Record<string, unknown>) => (datum: Record<string, unknown>) => [
            kwargs["scale"],
            (datum["n"] as number) * (kwargs["scale"] as number),
          ],
      };
      const filling = new Catalog(storage, { fill: { handlers } });
      const stored = await filling.get(16);
      const raw = await (await stored.stream()).read();
      assert.equal(raw.data["img"]?.[0], `${res.resourceDoc.uid}/0`);
      const filled = await (await stored.stream()).read({ fill: true });
      assert.deepEqual(filled.data["img"], [
        [2, 0],
        [2, 2],
        [2, 4],
      ]);
      const events = (await collect(stored.documents({ fill: true }))).filter(
        ([n]) => n === "event",
      );
      assert.deepEqual(
        events.map(([, e]) => (e as Event).data["img"]),
        [
          [2, 0],
          [2, 2],
          [2, 4],
        ],
      );
    });

    test("documents survive closing the catalog and opening the database again", async () => {
      const docs = makeRun({ events: 3, metadata: { scan_id: 17 } });
      const own = new Catalog(await factory.reopen(storage));
      await writeAll(own, docs);
      await own.close();
      const reopened = new Catalog(await factory.reopen(storage));
      try {
        assert.deepStrictEqual(await collect((await reopened.get(17)).documents()), docs);
      } finally {
        await reopened.close();
      }
    });
  });
}
