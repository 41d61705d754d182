import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { composeRun } from "../src/compose/run-bundle.ts";
import {
  bulkDatumToDatumPage,
  mergeDatumPages,
  packDatumPage,
  rechunkDatumPages,
  unpackDatumPage,
} from "../src/datum-pages.ts";
import { EventModelValueError } from "../src/errors.ts";
import type { Datum, DatumPage } from "../src/schemas/resource.ts";
import { assertValidReference } from "../src/testing/reference-schemas.ts";

function composedDatums(n: number, kwargs: (i: number) => Record<string, unknown>): Datum[] {
  const run = composeRun();
  const resource = run.composeResource({
    spec: "AD_HDF5",
    root: "/data",
    resource_path: "a.h5",
    resource_kwargs: {},
  });
  return Array.from({ length: n }, (_, i) => resource.composeDatum({ datum_kwargs: kwargs(i) }));
}

function datumPageOf(rows: number, offset = 0, resource = "r1"): DatumPage {
  const range = Array.from({ length: rows }, (_, i) => i + offset);
  return {
    resource,
    datum_kwargs: { point_number: range, frame: range.map((i) => [i, i + 1]) },
    datum_id: range.map((i) => `${resource}/${i}`),
  };
}

function keyOrder(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keyOrder(v).map((x) => `${k}/${x}`)]);
}

describe("packDatumPage / unpackDatumPage", () => {
  for (const n of [1, 2, 3]) {
    test(`unpack(pack(${n} datums)) equals the datums, also with empty datum_kwargs`, () => {
      for (const kwargs of [(i: number) => ({ point_number: i, z: "a" }), () => ({})]) {
        const datums = composedDatums(n, kwargs);
        const page = packDatumPage(...datums);
        assertValidReference("datum_page", page);
        const back = unpackDatumPage(page);
        assert.deepStrictEqual(back, datums);
        assert.deepStrictEqual(keyOrder(back), keyOrder(datums));
        for (const datum of back) assertValidReference("datum", datum);
      }
    });
  }

  test("a page with empty datum_kwargs unpacks and packs back equal", () => {
    const page: DatumPage = { resource: "r", datum_kwargs: {}, datum_id: ["a", "b", "c"] };
    const datums = unpackDatumPage(page);
    assert.equal(datums.length, 3);
    assert.deepStrictEqual(packDatumPage(datums), page);
  });

  test("no datums, mixed resources and differing kwargs keys are EventModelValueErrors", () => {
    assert.throws(() => packDatumPage(), EventModelValueError);
    const [a, b] = composedDatums(2, (i) => ({ i })) as [Datum, Datum];
    assert.throws(() => packDatumPage(a, { ...b, resource: "elsewhere" }), /resource "elsewhere"/);
    assert.throws(() => packDatumPage(a, { ...b, datum_kwargs: { j: 1 } }), /missing \["i"\]/);
    assert.throws(
      () => unpackDatumPage({ ...datumPageOf(2), datum_id: ["x"] }),
      /datum_kwargs\["point_number"\] has 2 rows/,
    );
  });
});

describe("mergeDatumPages / rechunkDatumPages / bulkDatumToDatumPage", () => {
  test("31 pages of 13 rows rechunk to 57×7 + 4 and back", () => {
    const pages = Array.from({ length: 31 }, (_, p) => datumPageOf(13, p * 13));
    const sevens = [...rechunkDatumPages(pages, 7)];
    assert.deepStrictEqual(
      sevens.map((p) => p.datum_id.length),
      [...new Array(57).fill(7), 4],
    );
    for (const page of sevens) assertValidReference("datum_page", page);
    assert.deepStrictEqual([...rechunkDatumPages(sevens, 13)], pages);
  });

  test("merge concatenates, keeps a single page as is, rejects mixed resources", () => {
    assert.deepStrictEqual(mergeDatumPages([datumPageOf(2), datumPageOf(3, 2)]), datumPageOf(5));
    const single = datumPageOf(1);
    assert.equal(mergeDatumPages([single]), single);
    assert.throws(() => mergeDatumPages([datumPageOf(1), datumPageOf(1, 0, "r2")]), /"r2"/);
    assert.throws(() => mergeDatumPages([]), EventModelValueError);
  });

  test("bulk datum becomes the page of the same datums (upstream statement 8)", () => {
    const [d1, d2] = composedDatums(2, (i) => ({ point_number: i })) as [Datum, Datum];
    const page = bulkDatumToDatumPage({
      resource: d1.resource,
      datum_kwarg_list: [d1.datum_kwargs, d2.datum_kwargs],
      datum_ids: [d1.datum_id, d2.datum_id],
    });
    assert.deepStrictEqual(page, packDatumPage(d1, d2));
    assert.throws(
      () => bulkDatumToDatumPage({ resource: "r", datum_kwarg_list: [], datum_ids: ["x"] }),
      /1 datum_ids but 0 datum_kwarg_list entries/,
    );
    assert.deepStrictEqual(
      bulkDatumToDatumPage({ resource: "r", datum_kwarg_list: [], datum_ids: [] }),
      { resource: "r", datum_kwargs: {}, datum_id: [] },
    );
  });

  test("property: unpack(pack(datums)) === datums with key order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 5 }),
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 40 }),
        (keys, values) => {
          const n = Math.max(1, Math.floor(values.length / Math.max(1, keys.length)));
          const datums: Datum[] = Array.from({ length: n }, (_, i) => ({
            resource: "r",
            datum_kwargs: Object.fromEntries(
              keys.map((k, j) => [k, values[(i + j) % values.length]]),
            ),
            datum_id: `r/${i}`,
          }));
          const back = unpackDatumPage(packDatumPage(datums));
          assert.deepStrictEqual(back, datums);
          assert.deepStrictEqual(keyOrder(back), keyOrder(datums));
        },
      ),
    );
  });
});
