/**
 * The event-model error family, mirroring Python's event_model exception hierarchy so that
 * `instanceof` checks read the same as `except` clauses there.
 */
export class EventModelError extends Error {
  override name = "EventModelError";
}

/** A key (document field, data key, registry entry) that is missing or unknown. */
export class EventModelKeyError extends EventModelError {
  override name = "EventModelKeyError";
}

/** A value of the right type but the wrong content (duplicate uid, mixed descriptors...). */
export class EventModelValueError extends EventModelError {
  override name = "EventModelValueError";
}

/** An operation that is not allowed in the current state (a closed Filler, a stopped run). */
export class EventModelRuntimeError extends EventModelError {
  override name = "EventModelRuntimeError";
}

/** A value of the wrong type, or a read-only view being changed. */
export class EventModelTypeError extends EventModelError {
  override name = "EventModelTypeError";
}

/** One problem found by a validator: where it is and what was expected. */
export interface ValidationProblem {
  /** JSON pointer into the document, "" for the document itself (e.g. "/data_keys/det"). */
  path: string;
  /** What was expected there, in words. */
  message: string;
}

/** A document that does not follow its schema or the compose rules. */
export class EventModelValidationError extends EventModelError {
  override name = "EventModelValidationError";
  /** The document name ("start", "event", ...) of the offending document. */
  readonly documentName: string;
  readonly problems: readonly ValidationProblem[];

  constructor(
    documentName: string,
    problems: readonly ValidationProblem[],
    options?: ErrorOptions,
  ) {
    const listed = problems.map((p) => `${p.path || "(document)"}: ${p.message}`).join("; ");
    super(`invalid ${documentName} document: ${listed}`, options);
    this.documentName = documentName;
    this.problems = problems;
  }
}

/** Data that should have been filled from an external reference still holds the reference. */
export class UnfilledData extends EventModelError {
  override name = "UnfilledData";
}

/** No handler is registered for a resource's spec. */
export class UndefinedAssetSpecification extends EventModelKeyError {
  override name = "UndefinedAssetSpecification";
}

/** A handler kept failing to load external data after every retry. */
export class DataNotAccessible extends EventModelError {
  override name = "DataNotAccessible";
}

/** A reference (datum_id, resource uid, descriptor uid) to a document that was never seen. */
export class UnresolvableForeignKeyError extends EventModelValueError {
  override name = "UnresolvableForeignKeyError";
  /** The reference that could not be resolved. */
  readonly key: string;

  constructor(key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.key = key;
  }
}

/** A different handler is already registered for this spec. */
export class DuplicateHandler extends EventModelRuntimeError {
  override name = "DuplicateHandler";
}

/** Data that contradicts its own description. */
export class InvalidData extends EventModelError {
  override name = "InvalidData";
}

/** The data keys of an event do not match those its descriptor declares. */
export class MismatchedDataKeys extends InvalidData {
  override name = "MismatchedDataKeys";
}
