import type { Serializer, SerializerOptions } from "./core/run-serializer.ts";
import { createCsvSerializer } from "./csv/csv-serializer.ts";
import { SuitcaseError } from "./errors.ts";
import { createHdf5Serializer } from "./hdf5/hdf5-serializer.ts";
import { createJsonlSerializer } from "./jsonl/jsonl-serializer.ts";
import { createMsgpackSerializer } from "./msgpack/msgpack-serializer.ts";
import { createTiffSerializer } from "./tiff/tiff-serializer.ts";

/** The file formats, by the names `cerulean export --format` takes. */
export const EXPORT_FORMATS = ["jsonl", "msgpack", "csv", "tiff", "hdf5"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A serializer of `format` with its default settings. */
export async function createSerializer(
  format: string,
  options: SerializerOptions,
): Promise<Serializer> {
  switch (format as ExportFormat) {
    case "jsonl":
      return createJsonlSerializer(options);
    case "msgpack":
      return createMsgpackSerializer(options);
    case "csv":
      return createCsvSerializer(options);
    case "tiff":
      return createTiffSerializer(options);
    case "hdf5":
      return createHdf5Serializer(options);
    default:
      throw new SuitcaseError(
        `unknown format ${JSON.stringify(format)}; expected one of ${EXPORT_FORMATS.join(", ")}`,
      );
  }
}
