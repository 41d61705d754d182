export {
  Catalog,
  type CatalogOptions,
  parseSortKey,
  type SearchOptions,
} from "./catalog/catalog.ts";
export {
  type CatalogLocation,
  DEFAULT_CATALOG_PATH,
  openCatalog,
  openStorage,
} from "./catalog/open-catalog.ts";
export {
  PostgresStorage,
  type PostgresStorageOptions,
} from "./catalog/postgres/postgres-storage.ts";
export { SqliteStorage, type SqliteStorageOptions } from "./catalog/sqlite/sqlite-storage.ts";
export type {
  CatalogStorage,
  DescriptorCounts,
  DocumentLocation,
  RunSearch,
  StorageOp,
  StoredDescriptor,
  StoredDocument,
  StoredPage,
  StoredPageMeta,
  StoredRun,
} from "./catalog/storage.ts";
export {
  type ArrayData,
  type ClientSearchOptions,
  encodeQuery,
  type SearchPage,
  TiledClient,
} from "./client.ts";
export {
  AmbiguousUidError,
  BrokerError,
  CorruptDataError,
  DuplicateScanIdError,
  DuplicateUniqueIdError,
  HttpRequestError,
  IngestError,
  InvalidQueryError,
  OrphanDocumentError,
  PostgresServerError,
  RunIndexError,
  RunNotFoundError,
  StorageError,
  StreamNotFoundError,
  TiledHttpError,
} from "./errors.ts";
export { createTiledApp, type TiledApiOptions, tiledPlugin } from "./http/app.ts";
export {
  type Filter,
  type KeyPath,
  keyPath,
  type Sort,
  toFilters,
  toSorts,
} from "./query/filters.ts";
export { filterRuns, type MatchableRun, matches, sortRuns } from "./query/match.ts";
export {
  type ComparisonOperator,
  comparison,
  contains,
  eq,
  fullText,
  inList,
  keyPresent,
  like,
  notEq,
  notIn,
  partialUid,
  type Query,
  type ScanIdDuplicates,
  type SortKey,
  scanId,
  scanIdRange,
  type TimeZone,
  timeRange,
} from "./query/queries.ts";
export type { Column, StreamTable } from "./run/column-reader.ts";
export { type FillConfig, Run, type RunMetadata, type RunSummary } from "./run/run.ts";
export { type ReadOptions, Stream, type StreamRow } from "./run/stream.ts";
export {
  findPostgresBinDir,
  type PostgresServer,
  type StartPostgresOptions,
  startPostgresServer,
} from "./testing/postgres-server.ts";
