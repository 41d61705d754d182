import type { StreamResource } from "@cerulean/event-model";
import { type NdArray, product, toNdArray } from "../core/ndarray.ts";
import { ExternalDataError } from "../errors.ts";
import { type H5, type H5Dataset, uriToPath } from "./h5.ts";

/** The HDF5 file and dataset a stream_resource points at (its `uri` and `parameters.dataset`). */
export function streamResourceTarget(resource: StreamResource): { path: string; dataset: string } {
  if (resource.mimetype !== "application/x-hdf5") {
    throw new ExternalDataError(
      `stream_resource ${resource.uid} of "${resource.data_key}" has mimetype ${JSON.stringify(resource.mimetype)}; only application/x-hdf5 can be read`,
    );
  }
  const dataset = resource.parameters["dataset"];
  if (typeof dataset !== "string") {
    throw new ExternalDataError(
      `stream_resource ${resource.uid} of "${resource.data_key}" has no parameters.dataset naming the HDF5 dataset`,
    );
  }
  return { path: uriToPath(resource.uri), dataset };
}

/** Rows read per slice: a long stream_datum (a fly scan) must not be read into memory at once. */
const BATCH_BYTES = 32 * 1024 * 1024;

/**
 * Reads rows [start, stop) of the HDF5 dataset behind a stream_resource (the detector's file),
 * a slice of at most 32 MB at a time handed to `visit`, with the file open read-only meanwhile.
 */
export function readStreamRows(
  h5: H5,
  resource: StreamResource,
  range: { start: number; stop: number },
  visit: (rows: NdArray) => void,
): void {
  const { path, dataset } = streamResourceTarget(resource);
  const where = `${path}:${dataset} (stream_resource ${resource.uid})`;
  let file: InstanceType<H5["File"]>;
  try {
    file = new h5.File(path, "r");
  } catch (err) {
    throw new ExternalDataError(`cannot open ${where}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const node = file.get(dataset);
    if (!(node instanceof h5.Dataset)) {
      throw new ExternalDataError(`${where} is not a dataset`);
    }
    const shape = (node as H5Dataset).shape ?? [];
    const rows = shape[0] ?? 0;
    if (range.start < 0 || range.stop > rows || range.stop < range.start) {
      throw new ExternalDataError(
        `${where} has ${rows} rows; rows [${range.start}, ${range.stop}) were referenced by a stream_datum`,
      );
    }
    const rowBytes = Math.max(1, product(shape.slice(1)) * 8);
    const step = Math.max(1, Math.floor(BATCH_BYTES / rowBytes));
    for (let first = range.start; first < range.stop; first += step) {
      const last = Math.min(range.stop, first + step);
      const ranges = shape.map((_, d) => (d === 0 ? [first, last] : [])) as [number, number][];
      const data = (node as H5Dataset).slice(ranges);
      if (!ArrayBuffer.isView(data)) throw new ExternalDataError(`${where} does not hold numbers`);
      visit(toNdArray(data, [last - first, ...shape.slice(1)], where));
    }
  } finally {
    file.close();
  }
}
