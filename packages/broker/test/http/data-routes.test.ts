import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { composeRun, parseJson } from "@cerulean/event-model";
import { decode, decodeMulti } from "@msgpack/msgpack";
import { detValue, makeRun } from "../fixtures/runs.ts";
import { serve, type TestServer } from "./serve.ts";

describe("Tiled HTTP protocol: arrays, tables, documents", () => {
  let server: TestServer;
  let small: TestServer;
  let uid: string;
  let docs: NamedDocument[];

  before(async () => {
    docs = makeRun({ events: 4, image: true, metadata: { scan_id: 1 } });
    server = await serve([docs]);
    small = await serve([docs], { responseBytesizeLimit: 100 });
    uid = (await server.catalog.get(1)).uid;
  });
  after(async () => {
    await server.close();
    await small.close();
  });

  test("an array as octet-stream is exactly prod(shape) * itemsize little-endian C-order bytes", async () => {
    const response = await server.get(`/array/full/${uid}/primary/img`);
    assert.equal(response.headers.get("content-type"), "application/octet-stream");
    const values = new Float64Array(await response.arrayBuffer());
    assert.equal(values.length, 4 * 2 * 3);
    assert.deepEqual([...values.slice(6, 12)], [1, 2, 3, 4, 5, Number.NaN]);
  });

  test("an array as JSON is nested lists (NaN as null); slice narrows it", async () => {
    const full = await server.json<unknown[]>(
      `/array/full/${uid}/primary/img?format=application/json`,
    );
    assert.deepEqual(full[0], [
      [0, 1, 2],
      [3, 4, null],
    ]);
    assert.deepEqual(
      await server.json(`/array/full/${uid}/primary/img?format=json&slice=1:3,1,::2`),
      [
        [4, null],
        [5, null],
      ],
    );
    assert.deepEqual(
      await server.json(`/array/full/${uid}/primary/img?format=json&slice=-1,0,0`),
      3,
    );
  });

  test("a wrong expected_shape or block is 422; a block in the grid is served", async () => {
    assert.equal(
      (await server.get(`/array/full/${uid}/primary/img?expected_shape=4,2,2`)).status,
      422,
    );
    assert.equal(
      (await server.get(`/array/full/${uid}/primary/img?expected_shape=4,2,3`)).status,
      200,
    );
    assert.equal((await server.get(`/array/block/${uid}/primary/img?block=0,0,1`)).status, 422);
    const block = new Float64Array(
      await (await server.get(`/array/block/${uid}/primary/img?block=0,0,0`)).arrayBuffer(),
    );
    assert.equal(block.length, 24);
  });

  test("a response over response_bytesize_limit is refused with 400, for arrays and tables", async () => {
    const u = (await small.catalog.get(1)).uid;
    assert.equal((await small.get(`/array/full/${u}/primary/img`)).status, 400);
    assert.equal((await small.get(`/table/full/${u}/primary/internal?format=json`)).status, 400);
    assert.equal((await small.get(`/array/full/${u}/primary/img?slice=0`)).status, 200);
  });

  test("a table as JSON is column-oriented; json-seq is one row per line; CSV has a header", async () => {
    const columns = await server.json<Record<string, number[]>>(
      `/table/full/${uid}/primary/internal?format=application/json`,
    );
    assert.deepEqual(columns["seq_num"], [1, 2, 3, 4]);
    assert.deepEqual(columns["det"], [0, 1, 2, 3].map(detValue));
    const seq = await (
      await server.get(
        `/table/full/${uid}/primary/internal?format=application/json-seq&column=seq_num&column=motor`,
      )
    ).text();
    assert.deepEqual(
      seq
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
      [0, 1, 2, 3].map((i) => ({ seq_num: i + 1, motor: i / 2 })),
    );
    const csv = await (
      await server.get(
        `/table/partition/${uid}/primary/internal?partition=0&format=csv&column=seq_num&column=ts_det`,
      )
    ).text();
    assert.equal(csv.split("\n")[0], "seq_num,ts_det");
    assert.equal(csv.split("\n")[1], "1,1700000001");
  });

  test("a table's default format is an Arrow file; msgpack is column-oriented", async () => {
    const arrow = Buffer.from(
      await (
        await server.get(`/table/full/${uid}/primary/internal`, { accept: "*/*" })
      ).arrayBuffer(),
    );
    assert.equal(arrow.subarray(0, 6).toString(), "ARROW1");
    assert.equal(arrow.subarray(-6).toString(), "ARROW1");
    const packed = decode(
      new Uint8Array(
        await (
          await server.get(`/table/full/${uid}/primary/internal?format=msgpack&column=motor`)
        ).arrayBuffer(),
      ),
    );
    assert.deepEqual(packed, { motor: [0, 0.5, 1, 1.5] });
  });

  test("an unsupported format is 406; a bad partition or column is 422", async () => {
    assert.equal(
      (await server.get(`/table/full/${uid}/primary/internal?format=image/png`)).status,
      406,
    );
    assert.equal((await server.get(`/array/full/${uid}/primary/img?format=text/html`)).status, 406);
    assert.equal(
      (await server.get(`/table/partition/${uid}/primary/internal?partition=1`)).status,
      422,
    );
    assert.equal((await server.get(`/table/full/${uid}/primary/internal?column=nope`)).status, 422);
  });

  test("table columns are array nodes under internal, read by metadata, full and block routes", async () => {
    type Meta = { data: { attributes: Record<string, unknown>; links: Record<string, string> } };
    const det = (await server.json<Meta>(`/metadata/${uid}/primary/internal/det`)).data;
    assert.equal(det.attributes["structure_family"], "array");
    assert.deepEqual(det.attributes["ancestors"], [uid, "primary", "internal"]);
    const structure = det.attributes["structure"] as {
      shape: number[];
      dims: string[];
      chunks: number[][];
      data_type: { kind: string; itemsize: number };
    };
    assert.deepEqual(structure.shape, [4]);
    assert.deepEqual(structure.dims, ["time"]);
    assert.deepEqual(structure.chunks, [[4]]);
    assert.deepEqual([structure.data_type.kind, structure.data_type.itemsize], ["f", 8]);
    assert.ok(det.links["full"]?.endsWith(`/array/full/${uid}/primary/internal/det`));
    const values = new Float64Array(
      await (await server.get(`/array/full/${uid}/primary/internal/det`)).arrayBuffer(),
    );
    assert.deepEqual([...values], [0, 1, 2, 3].map(detValue));
    assert.deepEqual(
      await server.json(`/array/full/${uid}/primary/internal/motor?format=json&slice=1:3`),
      [0.5, 1],
    );
    const seq = (await server.json<Meta>(`/metadata/${uid}/primary/internal/seq_num`)).data;
    assert.equal(
      (seq.attributes["structure"] as { data_type: { kind: string } }).data_type.kind,
      "i",
    );
    const seqValues = new BigInt64Array(
      await (
        await server.get(`/array/block/${uid}/primary/internal/seq_num?block=0`)
      ).arrayBuffer(),
    );
    assert.deepEqual([...seqValues], [1n, 2n, 3n, 4n]);
    assert.deepEqual(
      await server.json(`/array/full/${uid}/primary/internal/ts_det?format=json`),
      [1, 2, 3, 4].map((i) => 1_700_000_000 + i),
    );
    assert.equal((await server.get(`/metadata/${uid}/primary/internal/nope`)).status, 404);
    assert.equal((await server.get(`/metadata/${uid}/primary/internal/det/more`)).status, 404);
    assert.equal((await server.get(`/metadata/${uid}/primary/img/det`)).status, 404);
    assert.equal((await server.get(`/array/full/${uid}/primary/internal/img`)).status, 404);
  });

  test("a string column is numpy's fixed-width unicode (<U), not NaNs", async () => {
    const run = composeRun({ time: 1_700_000_000, metadata: { scan_id: 7 } });
    const stream = run.composeDescriptor({
      name: "primary",
      data_keys: { label: { dtype: "string", shape: [], source: "SIM:label" } },
      time: 1_700_000_000,
    });
    const labels = ["a", "bé", "cdé"];
    const docs: NamedDocument[] = [
      ["start", run.startDoc],
      ["descriptor", stream.descriptorDoc],
      ...labels.map(
        (label, i): NamedDocument => [
          "event",
          stream.composeEvent({ data: { label }, timestamps: { label: i }, time: i }),
        ],
      ),
      ["stop", run.composeStop({ exit_status: "success", time: 10 })],
    ];
    const strings = await serve([docs]);
    try {
      const u = run.startDoc.uid;
      type Meta = { data: { attributes: { structure: { data_type: Record<string, unknown> } } } };
      const meta = await strings.json<Meta>(`/metadata/${u}/primary/internal/label`);
      assert.deepEqual(meta.data.attributes.structure.data_type, {
        endianness: "little",
        kind: "U",
        itemsize: 12,
        dt_units: null,
      });
      const bytes = new Uint32Array(
        await (await strings.get(`/array/full/${u}/primary/internal/label`)).arrayBuffer(),
      );
      const decoded = Array.from({ length: 3 }, (_, i) =>
        String.fromCodePoint(...[...bytes.slice(i * 3, i * 3 + 3)].filter((c) => c !== 0)),
      );
      assert.deepEqual(decoded, labels);
      assert.deepEqual(
        await strings.json(`/array/full/${u}/primary/internal/label?format=json`),
        labels,
      );
    } finally {
      await strings.close();
    }
  });

  test("documents replay as json-seq ({name, doc} per line) and as msgpack, exactly", async () => {
    const text = await (await server.get(`/documents/${uid}`)).text();
    const lines = text
      .trim()
      .split("\n")
      .map((l) => parseJson(l) as { name: string; doc: unknown });
    assert.deepStrictEqual(
      lines.map((l) => [l.name, l.doc]),
      docs,
    );
    const packed = new Uint8Array(
      await (
        await server.get(`/documents/${uid}`, { accept: "application/x-msgpack" })
      ).arrayBuffer(),
    );
    assert.deepStrictEqual(
      [...decodeMulti(packed)].map((m) => [
        (m as { name: string }).name,
        (m as { doc: unknown }).doc,
      ]),
      docs,
    );
    const container = await (
      await server.get(`/container/full/${uid}?format=application/json-seq`)
    ).text();
    assert.equal(container, text);
  });
});
