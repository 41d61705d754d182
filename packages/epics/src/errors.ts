// Every error this package throws. Messages name the PV (or peer), the operation and why.
import { ecaMessage } from "./protocol/eca.ts";

/** Base class of the errors of @cerulean/epics. */
export class CaError extends Error {
  override name = "CaError";
}

/** Bytes that do not follow the protocol (truncated payload, unknown type...). */
export class CaProtocolError extends CaError {
  override name = "CaProtocolError";
}

/** A message larger than the configured limit (EPICS_CA_MAX_ARRAY_BYTES). */
export class CaMessageTooLargeError extends CaError {
  override name = "CaMessageTooLargeError";
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `${what} needs ${bytes} bytes, over the limit of ${limit} bytes ` +
        `(raise EPICS_CA_MAX_ARRAY_BYTES on both client and server to allow it)`,
    );
  }
}

/** An operation on a PV did not finish within its timeout. */
export class CaTimeoutError extends CaError {
  override name = "CaTimeoutError";
  constructor(
    readonly pv: string,
    readonly operation: string,
    readonly timeout: number,
    detail = "",
  ) {
    super(`${operation} of PV "${pv}" timed out after ${timeout} s${detail ? ` (${detail})` : ""}`);
  }
}

/** The circuit to the PV's server went away while an operation was pending. */
export class CaDisconnectedError extends CaError {
  override name = "CaDisconnectedError";
  constructor(
    readonly pv: string,
    readonly operation: string,
  ) {
    super(`${operation} of PV "${pv}" failed: the server disconnected`);
  }
}

/** The server denied read or write access to the PV. */
export class CaAccessError extends CaError {
  override name = "CaAccessError";
  constructor(
    readonly pv: string,
    readonly access: "read" | "write",
  ) {
    super(`no ${access} access to PV "${pv}"`);
  }
}

/** The server answered an operation with an ECA error status. */
export class CaStatusError extends CaError {
  override name = "CaStatusError";
  constructor(
    readonly pv: string,
    readonly operation: string,
    readonly status: number,
    detail = "",
  ) {
    super(
      `${operation} of PV "${pv}" failed: ${ecaMessage(status)}${detail ? ` (${detail})` : ""}`,
    );
  }
}

/** A value that cannot be converted to the type the PV or request needs. */
export class CaValueError extends CaError {
  override name = "CaValueError";
}

/** The channel (or its context) was closed by the user. */
export class CaClosedError extends CaError {
  override name = "CaClosedError";
  constructor(
    readonly pv: string,
    readonly operation: string,
  ) {
    super(`${operation} of PV "${pv}" failed: the channel was closed`);
  }
}

/** A configuration value (environment variable, option) that cannot be used. */
export class CaConfigError extends CaError {
  override name = "CaConfigError";
}

/** A soft IOC misuse: duplicate PV, unknown PV, server not started... */
export class CaServerError extends CaError {
  override name = "CaServerError";
}
