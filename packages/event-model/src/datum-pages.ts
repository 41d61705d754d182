// Conversions between datums and datum pages (column-wise), mirroring pages.ts for events.
import { EventModelValueError } from "./errors.ts";
import {
  checkLength,
  columnsOf,
  concatColumns,
  concatField,
  prepareColumns,
  type Row,
  rechunk,
  rowOf,
  sliceColumns,
} from "./page-columns.ts";
import type { BulkDatum } from "./schemas/bulk.ts";
import type { Datum, DatumPage } from "./schemas/resource.ts";

/**
 * Packs datums of one resource into a datum page, keeping the first datum's key order. Pass an
 * array for large pages. Throws EventModelValueError for no datums, mixed resources or differing
 * datum_kwargs keys.
 */
export function packDatumPage(datums: readonly Datum[]): DatumPage;
export function packDatumPage(...datums: Datum[]): DatumPage;
export function packDatumPage(...args: Datum[] | [readonly Datum[]]): DatumPage {
  const datums = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Datum[];
  const first = datums[0];
  if (first === undefined) {
    throw new EventModelValueError("packDatumPage needs at least one datum (got none)");
  }
  const resource = first.resource;
  const datumId: string[] = [];
  for (let i = 0; i < datums.length; i++) {
    const datum = datums[i]!;
    if (datum.resource !== resource) {
      throw new EventModelValueError(
        `packDatumPage: datum ${i} (${datum.datum_id}) belongs to resource ${JSON.stringify(datum.resource)} but datum 0 (${first.datum_id}) to ${JSON.stringify(resource)}; a page holds one resource`,
      );
    }
    datumId.push(datum.datum_id);
  }
  const label = (i: number) => `datum ${i} (${datums[i]?.datum_id})`;
  const rows = datums as unknown as readonly Row[];
  return {
    resource,
    datum_kwargs: columnsOf(rows, "datum_kwargs", "packDatumPage", label),
    datum_id: datumId,
  };
}

/** Unpacks a datum page into its datums, in page order. */
export function unpackDatumPage(page: DatumPage): Datum[] {
  const n = datumPageRows(page, "unpackDatumPage");
  const kwargs = prepareColumns(page.datum_kwargs);
  const datums: Datum[] = new Array(n);
  for (let i = 0; i < n; i++) {
    datums[i] = {
      resource: page.resource,
      datum_kwargs: rowOf(kwargs, i),
      datum_id: page.datum_id[i]!,
    };
  }
  return datums;
}

/** Concatenates datum pages of one resource into one page; a single page is returned as is. */
export function mergeDatumPages(pages: readonly DatumPage[]): DatumPage {
  const first = pages[0];
  if (first === undefined) {
    throw new EventModelValueError("mergeDatumPages needs at least one page (got none)");
  }
  if (pages.length === 1) return first;
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p]!;
    datumPageRows(page, "mergeDatumPages");
    if (page.resource !== first.resource) {
      throw new EventModelValueError(
        `mergeDatumPages: page ${p} belongs to resource ${JSON.stringify(page.resource)} but page 0 to ${JSON.stringify(first.resource)}; merged pages must share one resource`,
      );
    }
  }
  return {
    resource: first.resource,
    datum_kwargs: concatColumns(
      pages as unknown as readonly Row[],
      "datum_kwargs",
      "mergeDatumPages",
      (p) => `page ${p}`,
    ),
    datum_id: concatField(pages, (p) => p.datum_id),
  };
}

/** Regroups a stream of datum pages (of one resource) into pages of exactly `size` rows. */
export function* rechunkDatumPages(
  pages: Iterable<DatumPage>,
  size: number,
): Generator<DatumPage, void, undefined> {
  yield* rechunk(pages, size, "rechunkDatumPages", {
    rows: (p) => datumPageRows(p, "rechunkDatumPages"),
    slice: (p, start, stop) => ({
      resource: p.resource,
      datum_kwargs: sliceColumns(p.datum_kwargs, start, stop),
      datum_id: p.datum_id.slice(start, stop),
    }),
    merge: mergeDatumPages,
  });
}

/** Converts the deprecated bulk_datum document into a datum page. */
export function bulkDatumToDatumPage(bulk: BulkDatum): DatumPage {
  const ids = bulk.datum_ids;
  const kwargs = bulk.datum_kwarg_list;
  if (ids.length !== kwargs.length) {
    throw new EventModelValueError(
      `bulkDatumToDatumPage: resource ${bulk.resource} has ${ids.length} datum_ids but ${kwargs.length} datum_kwarg_list entries`,
    );
  }
  const rows = kwargs.map((datum_kwargs) => ({ datum_kwargs }));
  return {
    resource: bulk.resource,
    datum_kwargs:
      rows.length === 0
        ? {}
        : columnsOf(rows, "datum_kwargs", "bulkDatumToDatumPage", (i) => `datum ${ids[i]}`),
    datum_id: [...ids],
  };
}

/** The number of rows of a datum page; throws when a column disagrees with `datum_id`. */
function datumPageRows(page: DatumPage, caller: string): number {
  const where = `${caller}: datum page of resource ${page.resource}`;
  if (!Array.isArray(page.datum_id)) {
    throw new EventModelValueError(`${where}: datum_id must be an array`);
  }
  const n = page.datum_id.length;
  for (const key in page.datum_kwargs) {
    checkLength(page.datum_kwargs[key], n, `${where}: datum_kwargs["${key}"]`);
  }
  return n;
}
