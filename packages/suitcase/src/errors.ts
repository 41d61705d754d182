/** The base of every error the suitcase package throws. */
export class SuitcaseError extends Error {
  override name = "SuitcaseError";
}

/** A file-name template names a key the start document does not have, or is malformed. */
export class FileTemplateError extends SuitcaseError {
  override name = "FileTemplateError";
}

/** A document arrived in a state that cannot take it (second start, nothing started, closed). */
export class SerializerStateError extends SuitcaseError {
  override name = "SerializerStateError";
}

/** A file the serializer would create already exists; serializers never overwrite. */
export class FileExistsError extends SuitcaseError {
  override name = "FileExistsError";
  /** The path that already exists. */
  readonly path: string;

  constructor(path: string, options?: ErrorOptions) {
    super(`refusing to overwrite ${path}: the file already exists`, options);
    this.path = path;
  }
}

/** A value that the format cannot hold as described (ragged array, out of range for the dtype). */
export class DataShapeError extends SuitcaseError {
  override name = "DataShapeError";
}

/** External data (stream_resource / resource) that cannot be located or read. */
export class ExternalDataError extends SuitcaseError {
  override name = "ExternalDataError";
}

/** A file that cannot be read back (not the expected format, truncated, corrupt). */
export class FileFormatError extends SuitcaseError {
  override name = "FileFormatError";
}

/** Writing a file failed (disk full, I/O error); the message says what the file still holds. */
export class FileWriteError extends SuitcaseError {
  override name = "FileWriteError";
  /** The file that could not be written. */
  readonly path: string;

  constructor(path: string, cause: unknown, detail: string, options?: ErrorOptions) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${path}: ${reason}; ${detail}`, { cause, ...options });
    this.path = path;
  }
}
