import type { DocumentGap } from "./document-bus.ts";

/** Base class of every error the bus throws. */
export class BusError extends Error {
  override name = "BusError";
}

/** Bytes from the wire that are not a document: a bad frame, bad msgpack or JSON, an unknown name. */
export class BusDecodeError extends BusError {
  override name = "BusDecodeError";
}

/** An address, option or argument that cannot be used (a prefix with a space, a bad port...). */
export class BusConfigError extends BusError {
  override name = "BusConfigError";
}

/** Use of a publisher or subscriber after close(). */
export class BusClosedError extends BusError {
  override name = "BusClosedError";
}

/** The transport failed (Redis command error, socket error); `cause` holds the original error. */
export class BusTransportError extends BusError {
  override name = "BusTransportError";
}

/** Documents a publisher could not deliver (its outgoing queue overflowed while the peer was away). */
export class DocumentsDroppedError extends BusError {
  override name = "DocumentsDroppedError";
  /** How many documents were dropped. */
  readonly dropped: number;
  constructor(dropped: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.dropped = dropped;
  }
}

/**
 * A subscriber missed documents and was given no `onGap` handler: the iteration ends with this
 * error rather than going on silently.
 */
export class DocumentGapError extends BusError {
  override name = "DocumentGapError";
  readonly gap: DocumentGap;
  constructor(gap: DocumentGap, options?: ErrorOptions) {
    super(
      `${gap.message} (pass onGap to a subscriber to be told of gaps and keep consuming)`,
      options,
    );
    this.gap = gap;
  }
}

/** A test server (redis-server) that could not be started. */
export class TestServerError extends BusError {
  override name = "TestServerError";
}
