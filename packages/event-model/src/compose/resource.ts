import { EventModelValueError } from "../errors.ts";
import type { Datum, DatumPage, Resource } from "../schemas/resource.ts";
import type { RunStart } from "../schemas/run-start.ts";
import type { StreamDatum, StreamRange, StreamResource } from "../schemas/stream.ts";
import { validateDocument } from "../validate.ts";
import { newUid, type RunState } from "./run-state.ts";

export interface ComposeResourceOptions {
  /** The handler spec that can read the asset ("AD_HDF5", "AD_TIFF", ...). */
  spec: string;
  root: string;
  resource_path: string;
  resource_kwargs: Record<string, unknown>;
  path_semantics?: "posix" | "windows";
  uid?: string;
  validate?: boolean;
  /** The run the resource belongs to; omitted for a resource outside any run. */
  start?: Pick<RunStart, "uid">;
}

/** A resource and the datum composers bound to it. */
export interface ComposeResourceBundle {
  resourceDoc: Resource;
  composeDatum(options: { datum_kwargs: Record<string, unknown>; validate?: boolean }): Datum;
  composeDatumPage(options: {
    datum_kwargs: Record<string, unknown[]>;
    validate?: boolean;
  }): DatumPage;
}

/** Composes a resource document; datum ids are "<resource uid>/<n>" counting from 0. */
export function composeResource(
  options: ComposeResourceOptions,
  run?: RunState,
): ComposeResourceBundle {
  run?.assertOpen(`resource "${options.resource_path}"`);
  const resourceDoc: Resource = {
    uid: options.uid ?? newUid(),
    spec: options.spec,
    root: options.root,
    resource_path: options.resource_path,
    resource_kwargs: options.resource_kwargs,
    path_semantics: options.path_semantics ?? "posix",
  };
  const runStart = run?.runUid ?? options.start?.uid;
  if (runStart !== undefined) resourceDoc.run_start = runStart;
  if (options.validate ?? true) validateDocument("resource", resourceDoc);
  let counter = 0;
  return {
    resourceDoc,
    composeDatum({ datum_kwargs, validate = true }) {
      run?.assertOpen("a datum");
      const datum: Datum = {
        resource: resourceDoc.uid,
        datum_kwargs,
        datum_id: `${resourceDoc.uid}/${counter}`,
      };
      if (validate) validateDocument("datum", datum);
      counter++;
      return datum;
    },
    composeDatumPage({ datum_kwargs, validate = true }) {
      run?.assertOpen("a datum page");
      const columns = Object.entries(datum_kwargs);
      const length = columns[0]?.[1].length ?? 0;
      for (const [key, column] of columns) {
        if (!Array.isArray(column) || column.length !== length) {
          throw new EventModelValueError(
            `datum page of resource ${resourceDoc.uid}: datum_kwargs["${key}"] must be an array of ${length} rows`,
          );
        }
      }
      const datum_id = Array.from({ length }, (_, i) => `${resourceDoc.uid}/${counter + i}`);
      const page: DatumPage = { resource: resourceDoc.uid, datum_kwargs, datum_id };
      if (validate) validateDocument("datum_page", page);
      counter += length;
      return page;
    },
  };
}

export interface ComposeStreamResourceOptions {
  /** The media type of the asset ("application/x-hdf5", "image/tiff", ...). */
  mimetype: string;
  /** Where the asset is, e.g. "file://localhost/data/scan.h5". */
  uri: string;
  /** The descriptor data key whose values this resource holds. */
  data_key: string;
  /** What a reader needs, e.g. {dataset: "/entry/data/data"}. */
  parameters: Record<string, unknown>;
  uid?: string;
  validate?: boolean;
  /** The run the stream resource belongs to; omitted for one made outside a run (by a device). */
  start?: Pick<RunStart, "uid">;
}

export interface ComposeStreamDatumOptions {
  /** Rows [start, stop) inside the external resource. */
  indices: StreamRange;
  /** Event seq_nums [start, stop) those rows fill; {0, 0} leaves it to the RunEngine. */
  seq_nums?: StreamRange;
  /** The descriptor uid; "" leaves it to the RunEngine. */
  descriptor?: string;
  validate?: boolean;
}

/** A stream resource and the stream datum composer bound to it. */
export interface ComposeStreamResourceBundle {
  streamResourceDoc: StreamResource;
  composeStreamDatum(options: ComposeStreamDatumOptions): StreamDatum;
}

/** Composes a stream resource; stream datum uids are "<stream resource uid>/<n>" counting from 0. */
export function composeStreamResource(
  options: ComposeStreamResourceOptions,
  run?: RunState,
): ComposeStreamResourceBundle {
  run?.assertOpen(`stream resource for "${options.data_key}"`);
  const streamResourceDoc: StreamResource = {
    uid: options.uid ?? newUid(),
    data_key: options.data_key,
    mimetype: options.mimetype,
    uri: options.uri,
    parameters: options.parameters,
  };
  const runStart = run?.runUid ?? options.start?.uid;
  if (runStart !== undefined) streamResourceDoc.run_start = runStart;
  if (options.validate ?? true) validateDocument("stream_resource", streamResourceDoc);
  let counter = 0;
  return {
    streamResourceDoc,
    composeStreamDatum({
      indices,
      seq_nums = { start: 0, stop: 0 },
      descriptor = "",
      validate = true,
    }) {
      run?.assertOpen("a stream datum");
      const streamDatum: StreamDatum = {
        uid: `${streamResourceDoc.uid}/${counter}`,
        stream_resource: streamResourceDoc.uid,
        descriptor,
        indices,
        seq_nums,
      };
      if (validate) {
        validateDocument("stream_datum", streamDatum);
        for (const [field, range] of [
          ["indices", indices],
          ["seq_nums", seq_nums],
        ] as const) {
          if (range.stop < range.start) {
            throw new EventModelValueError(
              `stream datum of ${streamResourceDoc.uid}: ${field} {start: ${range.start}, stop: ${range.stop}} has stop before start`,
            );
          }
        }
      }
      counter++;
      return streamDatum;
    },
  };
}
