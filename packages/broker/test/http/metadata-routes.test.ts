import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decode } from "@msgpack/msgpack";
import Fastify from "fastify";
import { tiledPlugin } from "../../src/http/app.ts";
import { makeRun } from "../fixtures/runs.ts";
import { serve, type TestServer } from "./serve.ts";

interface Listing {
  data: { id: string; attributes: Record<string, unknown>; links: Record<string, string> }[];
  links: Record<string, string | null>;
  meta: { count: number };
}

const T0 = 1_700_000_000;

describe("Tiled HTTP protocol: about, metadata, search", () => {
  let server: TestServer;
  const scanIds = (listing: Listing) =>
    listing.data.map(
      (d) => (d.attributes["metadata"] as { start: { scan_id?: number } }).start.scan_id,
    );

  before(async () => {
    const runs = Array.from({ length: 105 }, (_, i) =>
      makeRun({
        events: 1,
        time: T0 + i * 10,
        incomplete: i === 104,
        image: i === 0,
        metadata: {
          scan_id: i + 1,
          ...(i % 2 ? { number: i } : {}),
          color: i === 3 ? "purple" : "urple",
        },
      }),
    );
    server = await serve(runs, { allowOrigins: ["http://viewer.example"] });
  });
  after(async () => server.close());

  test("the about document lists api_version 0, formats, queries and no required authentication", async () => {
    const about = await server.json<Record<string, unknown>>("/");
    assert.equal(about["api_version"], 0);
    assert.ok(
      (about["formats"] as Record<string, string[]>)["table"]?.includes("application/json"),
    );
    assert.ok((about["queries"] as string[]).includes("fulltext"));
    assert.equal((about["authentication"] as { required: boolean }).required, false);
  });

  test("search pages: default limit 100, next link until the last page, count of all", async () => {
    const first = await server.json<Listing>("/search/");
    assert.equal(first.data.length, 100);
    assert.equal(first.meta.count, 105);
    assert.ok(first.links["next"]?.includes("page[offset]=100"));
    const last = await server.json<Listing>("/search/?page[offset]=100");
    assert.equal(last.data.length, 5);
    assert.equal(last.links["next"], null);
    assert.deepEqual((await server.json<Listing>("/search/?page[limit]=0")).data, []);
    assert.equal((await server.get("/search/?page[limit]=301")).status, 422);
    assert.equal((await server.get("/search/?page[offset]=1&page[cursor]=2")).status, 400);
  });

  test("sorting: ascending, descending, '-' for newest first; duplicates refused; empty ignored", async () => {
    assert.deepEqual(
      scanIds(await server.json<Listing>("/search/?sort=-start.scan_id&page[limit]=3")),
      [105, 104, 103],
    );
    assert.deepEqual(
      scanIds(await server.json<Listing>("/search/?sort=-&page[limit]=2")),
      [105, 104],
    );
    assert.deepEqual(scanIds(await server.json<Listing>("/search/?sort=&page[limit]=2")), [1, 2]);
    const byNumber = scanIds(
      await server.json<Listing>("/search/?sort=-start.number&page[limit]=105"),
    );
    assert.deepEqual(byNumber.slice(0, 2), [104, 102]);
    assert.deepEqual(
      byNumber.slice(52, 55),
      [1, 3, 5],
      "runs without the key come last, in catalog order",
    );
    assert.equal((await server.json<Listing>("/search/?sort=no.such.key")).meta.count, 105);
    assert.equal((await server.get("/search/?sort=start.time,-start.time")).status, 400);
  });

  test("filters: eq, comparison, in, fulltext, scan_id, partial_uid, time_range, stacked", async () => {
    const q = (s: string) => server.json<Listing>(`/search/?${s}&page[limit]=300`);
    assert.deepEqual(
      scanIds(await q("filter[eq][condition][key]=start.scan_id&filter[eq][condition][value]=7")),
      [7],
    );
    assert.deepEqual(
      scanIds(await q('filter[eq][condition][key]=scan_id&filter[eq][condition][value]="7"')),
      [],
    );
    assert.deepEqual(
      scanIds(
        await q(
          "filter[comparison][condition][operator]=ge&filter[comparison][condition][key]=start.number&filter[comparison][condition][value]=101",
        ),
      ),
      [102, 104],
    );
    assert.deepEqual(
      scanIds(
        await q("filter[in][condition][key]=start.scan_id&filter[in][condition][value]=[2,3]"),
      ),
      [2, 3],
    );
    assert.deepEqual(scanIds(await q("filter[fulltext][condition][text]=purple")), [4]);
    assert.deepEqual(scanIds(await q("filter[scan_id][condition][scan_ids]=[5]")), [5]);
    const uid = (await server.catalog.get(9)).uid;
    assert.deepEqual(
      scanIds(await q(`filter[partial_uid][condition][partial_uids]=["${uid.slice(0, 8)}"]`)),
      [9],
    );
    assert.deepEqual(
      scanIds(
        await q(
          `filter[time_range][condition][since]=${T0 + 15}&filter[time_range][condition][until]=${T0 + 40}`,
        ),
      ),
      [3, 4],
    );
    const stacked =
      'filter[eq][condition][key]=start.color&filter[eq][condition][value]="urple"&filter[eq][condition][key]=start.scan_id&filter[eq][condition][value]=4';
    assert.deepEqual(scanIds(await q(stacked)), []);
    assert.equal(
      (
        await server.get(
          "/search/?filter[regex][condition][key]=a&filter[regex][condition][pattern]=b",
        )
      ).status,
      400,
    );
    assert.equal((await server.get("/search/?filter[nosuch][condition][key]=a")).status, 400);
  });

  test("scan_id duplicates: latest among the other filters' matches, error is a 400 naming the runs, unknown is 400", async () => {
    const dup = await serve([
      makeRun({ time: T0, metadata: { scan_id: 1, plan_name: "count" } }),
      makeRun({ time: T0 + 10, metadata: { scan_id: 1, plan_name: "scan" } }),
    ]);
    try {
      const [count, scan] = await dup.catalog.search();
      const filter = (duplicates: string) =>
        `/search/?filter[scan_id][condition][scan_ids]=1&filter[scan_id][condition][duplicates]=${duplicates}`;
      const found = await dup.json<Listing>(
        `${filter("latest")}&filter[eq][condition][key]=plan_name&filter[eq][condition][value]="count"`,
      );
      assert.deepEqual(
        found.data.map((d) => d.id),
        [count!.uid],
      );
      const error = await dup.get(filter("error"));
      assert.equal(error.status, 400);
      const { detail } = (await error.json()) as { detail: string };
      assert.match(detail, /scan_id 1/);
      assert.ok(detail.includes(count!.uid) && detail.includes(scan!.uid), detail);
      const bogus = await dup.get(filter("newest"));
      assert.equal(bogus.status, 400);
      assert.match(((await bogus.json()) as { detail: string }).detail, /"newest"/);
      assert.equal((await dup.json<Listing>(filter("all"))).meta.count, 2);
    } finally {
      await dup.close();
    }
  });

  test("an impossible time bound is a 400 naming it", async () => {
    for (const bad of ["2024-00-10", "2024-02-30"]) {
      const response = await server.get(
        `/search/?filter[time_range][condition][since]=${encodeURIComponent(JSON.stringify(bad))}&filter[time_range][condition][timezone]=UTC`,
      );
      assert.equal(response.status, 400, bad);
      assert.ok(((await response.json()) as { detail: string }).detail.includes(`"${bad}"`));
    }
  });

  test("a run is a BlueskyRun container with start, stop and summary; an incomplete one has stop null", async () => {
    const uid = (await server.catalog.get(1)).uid;
    const { data } = await server.json<{ data: Listing["data"][number] }>(`/metadata/${uid}`);
    assert.deepEqual(data.attributes["specs"], [{ name: "BlueskyRun", version: "3.0" }]);
    assert.equal(data.attributes["structure_family"], "container");
    const metadata = data.attributes["metadata"] as {
      start: { uid: string };
      stop: { exit_status: string };
      summary: { duration: number };
    };
    assert.equal(metadata.start.uid, uid);
    assert.equal(metadata.stop.exit_status, "success");
    assert.equal(metadata.summary.duration, 3);
    assert.ok(data.links["search"]?.endsWith(`/search/${uid}`));
    const open = (
      await server.json<{ data: Listing["data"][number] }>(
        `/metadata/${(await server.catalog.get(105)).uid}`,
      )
    ).data;
    assert.equal((open.attributes["metadata"] as { stop: unknown }).stop, null);
  });

  test("a run's streams are composite containers of a table and arrays", async () => {
    const uid = (await server.catalog.get(1)).uid;
    const streams = await server.json<Listing>(`/search/${uid}`);
    assert.deepEqual(
      streams.data.map((d) => d.id),
      ["primary"],
    );
    assert.deepEqual(
      (streams.data[0]!.attributes["specs"] as { name: string }[]).map((s) => s.name),
      ["BlueskyEventStream", "composite"],
    );
    const children = await server.json<Listing>(`/search/${uid}/primary`);
    assert.deepEqual(
      children.data.map((d) => [d.id, d.attributes["structure_family"]]),
      [
        ["internal", "table"],
        ["img", "array"],
      ],
    );
    const table = children.data[0]!.attributes["structure"] as {
      columns: string[];
      npartitions: number;
      arrow_schema: string;
    };
    assert.deepEqual(table.columns, ["seq_num", "time", "det", "motor", "ts_det", "ts_motor"]);
    assert.match(table.arrow_schema, /^data:application\/vnd\.apache\.arrow\.file;base64,/);
    const img = children.data[1]!.attributes["structure"] as { shape: number[]; dims: string[] };
    assert.deepEqual(img.shape, [1, 2, 3]);
    assert.deepEqual(img.dims, ["time", "dim_1", "dim_2"]);
  });

  test("select_metadata: Tiled's composite client sends false; dotted paths and literals are evaluated", async () => {
    const uid = (await server.catalog.get(1)).uid;
    const selected = (listing: Listing) =>
      listing.data.map((d) => (d.attributes["metadata"] as { selected: unknown }).selected);
    // A bare `false` is a JMESPath field named "false": absent, so null.
    assert.deepEqual(selected(await server.json<Listing>(`/search/${uid}?select_metadata=false`)), [
      null,
    ]);
    assert.deepEqual(
      selected(await server.json<Listing>("/search/?select_metadata=start.scan_id&page[limit]=3")),
      [1, 2, 3],
    );
    const one = async (expression: string) =>
      (
        (
          await server.json<{ data: Listing["data"][number] }>(
            `/metadata/${uid}?select_metadata=${encodeURIComponent(expression)}`,
          )
        ).data.attributes["metadata"] as { selected: unknown }
      ).selected;
    assert.equal(await one("`false`"), false);
    assert.equal(await one("`null`"), null);
    assert.equal(await one("'raw'"), "raw");
    assert.equal(await one(' "start" . color '), "urple");
    assert.equal(await one("stop.exit_status"), "success");
    assert.equal(await one("start.no.such.path"), null);
    assert.equal(((await one("@")) as { start: { uid: string } }).start.uid, uid);
    for (const bad of ["start.tags[0]", "", "a || b", "`{bad`"]) {
      const response = await server.get(
        `/metadata/${uid}?select_metadata=${encodeURIComponent(bad)}`,
      );
      assert.equal(response.status, 400, bad);
      const { detail } = (await response.json()) as { detail: string };
      assert.ok(detail.includes(JSON.stringify(bad)), detail);
      assert.match(detail, /identifiers joined by dots/);
    }
  });

  test("a missing node is 404 with Tiled's detail", async () => {
    const response = await server.get("/metadata/no-such-run");
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { detail: string }).detail, /No such entry/);
    assert.equal(
      (await server.get(`/search/${(await server.catalog.get(1)).uid}/primary/internal`)).status,
      404,
    );
  });

  test("metadata carries an ETag; If-None-Match gets 304", async () => {
    const first = await server.get("/metadata/");
    const etag = first.headers.get("etag");
    assert.ok(etag);
    assert.equal((await server.get("/metadata/", { "if-none-match": etag })).status, 304);
  });

  test("Accept: application/x-msgpack gives the same content as msgpack", async () => {
    const uid = (await server.catalog.get(2)).uid;
    const response = await server.get(`/metadata/${uid}`, { accept: "application/x-msgpack" });
    assert.equal(response.headers.get("content-type"), "application/x-msgpack");
    const packed = decode(new Uint8Array(await response.arrayBuffer()));
    assert.deepEqual(packed, await server.json(`/metadata/${uid}`));
  });

  test("browsers from an allowed origin get CORS headers", async () => {
    const response = await server.get("/", { origin: "http://viewer.example" });
    assert.equal(response.headers.get("access-control-allow-origin"), "http://viewer.example");
    assert.equal(
      (await server.get("/", { origin: "http://other.example" })).headers.get(
        "access-control-allow-origin",
      ),
      null,
    );
  });

  test("the routes mount on another fastify app under a prefix", async () => {
    const app = Fastify();
    await app.register(tiledPlugin, { prefix: "/api/v1", catalog: server.catalog });
    app.get("/status", async () => ({ ok: true }));
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const about = (await (await fetch(`${address}/api/v1/`)).json()) as { api_version: number };
      assert.equal(about.api_version, 0);
      assert.deepEqual(await (await fetch(`${address}/status`)).json(), { ok: true });
    } finally {
      await app.close();
    }
  });
});
