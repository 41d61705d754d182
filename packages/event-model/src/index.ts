export type {
  ComposeDescriptorBundle,
  ComposeDescriptorOptions,
  ComposeEventOptions,
  ComposeEventPageOptions,
} from "./compose/descriptor.ts";
export {
  type ComposeResourceBundle,
  type ComposeResourceOptions,
  type ComposeStreamDatumOptions,
  type ComposeStreamResourceBundle,
  type ComposeStreamResourceOptions,
  composeResource,
  composeStreamResource,
} from "./compose/resource.ts";
export {
  type ComposeRunBundle,
  type ComposeRunOptions,
  type ComposeStopOptions,
  composeRun,
} from "./compose/run-bundle.ts";
export {
  bulkDatumToDatumPage,
  mergeDatumPages,
  packDatumPage,
  rechunkDatumPages,
  unpackDatumPage,
} from "./datum-pages.ts";
export {
  DocumentRouter,
  type DocumentRouterOptions,
  NOT_IMPLEMENTED,
  type NotImplemented,
  type RouteOptions,
  type RouterResult,
} from "./document-router.ts";
export type {
  Document,
  DocumentCallback,
  DocumentMap,
  DocumentName,
  LegacyDocumentMap,
  LegacyDocumentName,
  NamedDocument,
} from "./documents.ts";
export { DOCUMENT_NAMES, documentRows, isDocumentName } from "./documents.ts";
export {
  DataNotAccessible,
  DuplicateHandler,
  EventModelError,
  EventModelKeyError,
  EventModelRuntimeError,
  EventModelTypeError,
  EventModelValidationError,
  EventModelValueError,
  InvalidData,
  MismatchedDataKeys,
  UndefinedAssetSpecification,
  UnfilledData,
  UnresolvableForeignKeyError,
  type ValidationProblem,
} from "./errors.ts";
export {
  type CoerceContext,
  Filler,
  type FillerOptions,
  type FillOptions,
  LEAVE_UNFILLED,
} from "./filler.ts";
export type {
  Handler,
  HandlerFactory,
  RegistryInit,
  StreamHandler,
  StreamHandlerFactory,
} from "./handler-registry.ts";
export {
  encodeDocumentLine,
  JsonlWriter,
  type JsonlWriterOptions,
  type ParseOptions,
  parseDocumentLine,
  parseDocuments,
  readDocuments,
  serializeDocuments,
} from "./jsonl.ts";
export { NoFiller } from "./no-filler.ts";
export {
  DocumentOrderValidator,
  type DocumentOrderValidatorOptions,
} from "./order-validator.ts";
export {
  bulkEventsToEventPages,
  mergeEventPages,
  packEventPage,
  rechunkEventPages,
  unpackEventPage,
  verifyFilled,
} from "./pages.ts";
export { encodeJson, parseJson } from "./python-json.ts";
export {
  msgpackMapKey,
  reviveMsgpackNumpy,
  safeIntegersAsNumbers,
} from "./python-msgpack.ts";
export { DEFAULT_RETRY_DELAYS_MS, isIoError } from "./retry.ts";
export {
  type RunFactory,
  RunRouter,
  type RunRouterOptions,
  type SubFactory,
} from "./run-router.ts";
export { isNdarrayLike, type NdarrayLike, sanitizeDoc } from "./sanitize.ts";
export type { BulkDatum, BulkEvents } from "./schemas/bulk.ts";
export { KEY_NAME_PATTERN } from "./schemas/common.ts";
export type {
  DataKey,
  Dtype,
  DtypeNumpy,
  Limits,
  LimitsRange,
  RdsRange,
} from "./schemas/data-key.ts";
export type { Event, EventPage, PartialEvent, PartialEventPage } from "./schemas/event.ts";
export type { Configuration, EventDescriptor, PerObjectHint } from "./schemas/event-descriptor.ts";
export { documentSchemas } from "./schemas/index.ts";
export type { Datum, DatumPage, PartialResource, Resource } from "./schemas/resource.ts";
export type { Hints, Projections, RunStart } from "./schemas/run-start.ts";
export type { ExitStatus, RunStop } from "./schemas/run-stop.ts";
export type { StreamDatum, StreamRange, StreamResource } from "./schemas/stream.ts";
export { SingleRunDocumentRouter } from "./single-run-document-router.ts";
export { isValidDocument, validateDocument } from "./validate.ts";
