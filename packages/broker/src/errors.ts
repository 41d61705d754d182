/** Base class of every error the broker throws. */
export class BrokerError extends Error {
  override name = "BrokerError";
}

/** No run matches a uid, uid prefix or scan_id (Python's KeyError). */
export class RunNotFoundError extends BrokerError {
  override name = "RunNotFoundError";
  /** The key that was looked up. */
  readonly key: string | number;
  constructor(key: string | number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.key = key;
  }
}

/** `catalog.get(-k)` reaches further back than the catalog holds (Python's IndexError). */
export class RunIndexError extends BrokerError {
  override name = "RunIndexError";
}

/** A uid prefix that is too short or matches more than one run (Python's ValueError). */
export class AmbiguousUidError extends BrokerError {
  override name = "AmbiguousUidError";
}

/** A query, sort key or page request that cannot be understood. */
export class InvalidQueryError extends BrokerError {
  override name = "InvalidQueryError";
}

/** A scan_id query with duplicates "error" matched several runs sharing one scan_id. */
export class DuplicateScanIdError extends InvalidQueryError {
  override name = "DuplicateScanIdError";
  readonly scanId: unknown;
  readonly uids: readonly string[];
  constructor(scanId: unknown, uids: readonly string[], options?: ErrorOptions) {
    super(
      `scan_id ${JSON.stringify(scanId)} is shared by ${uids.length} matching runs (${uids.join(", ")}) and the query asks for duplicates "error"; use duplicates "latest" or "all", or select by uid`,
      options,
    );
    this.scanId = scanId;
    this.uids = uids;
  }
}

/** A document whose uid is already stored with different content. */
export class DuplicateUniqueIdError extends BrokerError {
  override name = "DuplicateUniqueIdError";
  readonly uid: string;
  constructor(uid: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.uid = uid;
  }
}

/** A document that refers to a run, descriptor or resource the catalog has never seen. */
export class OrphanDocumentError extends BrokerError {
  override name = "OrphanDocumentError";
}

/** A stream name that the run does not have. */
export class StreamNotFoundError extends BrokerError {
  override name = "StreamNotFoundError";
}

/** The storage backend failed, or could not be opened or reached. */
export class StorageError extends BrokerError {
  override name = "StorageError";
}

/** A stored payload that cannot be decoded (a corrupted or foreign database). */
export class CorruptDataError extends BrokerError {
  override name = "CorruptDataError";
}

/** A file that cannot be ingested: unreadable, or not a document stream. */
export class IngestError extends BrokerError {
  override name = "IngestError";
}

/** The test PostgreSQL server cannot be started (initdb missing, or it failed). */
export class PostgresServerError extends BrokerError {
  override name = "PostgresServerError";
}

/** An HTTP request to a Tiled-protocol server failed; carries the status and server detail. */
export class TiledHttpError extends BrokerError {
  override name = "TiledHttpError";
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** A request the HTTP API refuses; `status` is the HTTP status code (400, 404, 406, 422...). */
export class HttpRequestError extends BrokerError {
  override name = "HttpRequestError";
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}
