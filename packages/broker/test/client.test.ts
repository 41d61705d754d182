import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { type SearchPage, TiledClient } from "../src/client.ts";
import { comparison, eq, fullText, TiledHttpError } from "../src/index.ts";
import { makeRun } from "./fixtures/runs.ts";
import { serve, type TestServer } from "./http/serve.ts";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("TiledClient against the broker's HTTP API", () => {
  let server: TestServer;
  let client: TiledClient;
  let docs: NamedDocument[];

  before(async () => {
    docs = makeRun({ events: 3, image: true, metadata: { scan_id: 1, sample: "Si" } });
    server = await serve([
      docs,
      makeRun({ events: 2, metadata: { scan_id: 2, plan_name: "scan" } }),
    ]);
    client = new TiledClient(server.api);
  });
  after(async () => server.close());

  test("searches runs with queries, sorting and paging", async () => {
    const scans = async (page: Promise<{ data: { attributes: Record<string, unknown> }[] }>) =>
      (await page).data.map(
        (d) => (d.attributes["metadata"] as { start: { scan_id: number } }).start.scan_id,
      );
    assert.deepEqual(await scans(client.search("", { queries: [eq("plan_name", "scan")] })), [2]);
    assert.deepEqual(await scans(client.search("", { queries: [fullText("si")] })), [1]);
    assert.deepEqual(
      await scans(client.search("", { queries: [comparison("ge", "scan_id", 1)], sort: ["-"] })),
      [2, 1],
    );
    const page = await client.search("", { limit: 1 });
    assert.equal(page.count, 2);
    assert.ok(page.next);
  });

  test("next pages keep the search's queries and sort", async () => {
    const many = await serve(
      [1, 2, 3, 4, 5].map((i) =>
        makeRun({ events: 1, metadata: { scan_id: i, plan_name: i % 2 ? "count" : "scan" } }),
      ),
    );
    try {
      const pages = new TiledClient(many.api);
      const scanIdsOf = (page: SearchPage) =>
        page.data.map(
          (d) => (d.attributes["metadata"] as { start: { scan_id: number } }).start.scan_id,
        );
      let page: SearchPage | null = await pages.search("", {
        queries: [eq("plan_name", "count")],
        sort: ["-"],
        limit: 1,
      });
      const seen: number[][] = [];
      const viaLinks: number[][] = [];
      while (page) {
        seen.push(scanIdsOf(page));
        if (page.next) {
          const body = (await (await fetch(page.next)).json()) as { data: SearchPage["data"] };
          viaLinks.push(scanIdsOf({ ...page, data: body.data }));
        }
        page = await page.nextPage();
      }
      assert.deepEqual(seen, [[5], [3], [1]]);
      assert.deepEqual(viaLinks, [[3], [1]]);
    } finally {
      await many.close();
    }
  });

  test("reads a stream table and an image array", async () => {
    const uid = (await server.catalog.get(1)).uid;
    const table = await client.readTable(`${uid}/primary/internal`, {
      columns: ["seq_num", "motor"],
    });
    assert.deepEqual(table, { seq_num: [1, 2, 3], motor: [0, 0.5, 1] });
    const img = await client.readArray(`${uid}/primary/img`);
    assert.deepEqual(img.shape, [3, 2, 3]);
    assert.ok(img.data instanceof Float64Array);
    assert.deepEqual([...img.data.slice(0, 6)], [0, 1, 2, 3, 4, Number.NaN]);
    const sliced = await client.readArray(`${uid}/primary/img`, { slice: "1:3,0" });
    assert.deepEqual(sliced.shape, [2, 3]);
    assert.deepEqual([...sliced.data], [1, 2, 3, 2, 3, 4]);
  });

  test("replays a run's documents exactly", async () => {
    const uid = (await server.catalog.get(1)).uid;
    assert.deepStrictEqual(await collect(client.documents(uid)), docs);
  });

  test("server errors become TiledHttpError with the status and detail", async () => {
    await assert.rejects(client.metadata("nope"), (err: Error) => {
      assert.ok(err instanceof TiledHttpError);
      assert.equal(err.status, 404);
      assert.match(err.message, /No such entry/);
      return true;
    });
  });
});
