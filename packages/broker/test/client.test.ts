import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { TiledClient } from "../src/client.ts";
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
