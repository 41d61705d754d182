export type { NumericDtype } from "./core/dtype.ts";
export type { FileSinkOptions } from "./core/file-sink.ts";
export { DEFAULT_TEMPLATE, fillTemplate, safeFileName } from "./core/file-template.ts";
export type { Serializer, SerializerOptions } from "./core/run-serializer.ts";
export { createSerializer, EXPORT_FORMATS, type ExportFormat } from "./create-serializer.ts";
export { csvCell, csvLine, parseCsv } from "./csv/csv-cells.ts";
export {
  type CsvSerializerOptions,
  createCsvSerializer,
  isScalarKey,
} from "./csv/csv-serializer.ts";
export {
  DataShapeError,
  ExternalDataError,
  FileExistsError,
  FileFormatError,
  FileTemplateError,
  FileWriteError,
  SerializerStateError,
  SuitcaseError,
} from "./errors.ts";
export { chooseDefaultPlot, type DefaultPlot } from "./hdf5/default-plot.ts";
export { createHdf5Serializer, type Hdf5SerializerOptions } from "./hdf5/hdf5-serializer.ts";
export { createJsonlSerializer, type JsonlSerializerOptions } from "./jsonl/jsonl-serializer.ts";
export { readJsonl } from "./jsonl/read-jsonl.ts";
export {
  createMsgpackSerializer,
  type MsgpackSerializerOptions,
} from "./msgpack/msgpack-serializer.ts";
export { readMsgpack } from "./msgpack/read-msgpack.ts";
export {
  encodePage as encodeTiffPage,
  type TiffDtype,
  type TiffPage,
} from "./tiff/tiff-encoding.ts";
export { TiffFile } from "./tiff/tiff-file.ts";
export {
  createTiffSerializer,
  isImageKey,
  type TiffSerializerOptions,
} from "./tiff/tiff-serializer.ts";
