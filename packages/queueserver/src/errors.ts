// Errors of the queue server. A request that cannot be honoured becomes a reply with
// `success: false` and the message; these classes carry the message to that reply.

/** Base class of every queue-server error. */
export class QueueServerError extends Error {
  override name = "QueueServerError";
}

/** A request the manager refuses (bad parameters, wrong state, lock...): `success: false`. */
export class RequestFailedError extends QueueServerError {
  override name = "RequestFailedError";
  /** Extra reply fields sent with the failure (e.g. `qsize: null`, `item`). */
  readonly fields: Record<string, unknown>;
  constructor(message: string, fields: Record<string, unknown> = {}) {
    super(message);
    this.fields = fields;
  }
}

/** A plan whose name, arguments or devices do not validate. */
export class PlanValidationError extends QueueServerError {
  override name = "PlanValidationError";
}

/** An agent's plan tried to move a motor it may not move, or outside its range. */
export class MotorLimitError extends QueueServerError {
  override name = "MotorLimitError";
}

/** An uploaded spreadsheet that cannot be read into queue items (HTTP 400). */
export class SpreadsheetError extends QueueServerError {
  override name = "SpreadsheetError";
}

/** The worker process failed, exited or did not answer in time. */
export class WorkerError extends QueueServerError {
  override name = "WorkerError";
}

/** A profile (devices and plans) that cannot be loaded. */
export class ProfileError extends QueueServerError {
  override name = "ProfileError";
}

/** An HTTP-level refusal: bad credentials (401), missing scopes (401), malformed body (400). */
export class HttpError extends QueueServerError {
  override name = "HttpError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A server configuration that must not start (e.g. a public address without an API key). */
export class ConfigurationError extends QueueServerError {
  override name = "ConfigurationError";
}

/** The queue state could not be saved (e.g. Redis refused or lost a write). */
export class QueueStorageWriteError extends QueueServerError {
  override name = "QueueStorageWriteError";
}

/** The queue storage is held by another queue server (one data directory, one server). */
export class StorageInUseError extends QueueServerError {
  override name = "StorageInUseError";
}

/** The worker did not answer a call in time: whether it acted on it is unknown. */
export class WorkerTimeoutError extends WorkerError {
  override name = "WorkerTimeoutError";
}
