// Every error this package throws. Messages name the device (or signal), the operation and why.

/** Base class of the errors of @cerulean/devices. */
export class DevicesError extends Error {
  override name = "DevicesError";
}

/** An operation (set, trigger, kickoff...) failed; `cause` says why. */
export class FailedStatus extends DevicesError {
  override name = "FailedStatus";
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`${operation} failed: ${describeCause(cause)}`, { cause });
  }
}

/** An operation did not finish within its timeout (the Status fails with this). */
export class StatusTimeoutError extends DevicesError {
  override name = "StatusTimeoutError";
  constructor(
    readonly operation: string,
    readonly timeout: number,
    detail = "",
  ) {
    super(`${operation} did not finish within ${timeout} s${detail ? `: ${detail}` : ""}`);
  }
}

/** `status.wait(timeout)` gave up; the operation itself may still finish later. */
export class WaitTimeoutError extends DevicesError {
  override name = "WaitTimeoutError";
  constructor(
    readonly operation: string,
    readonly timeout: number,
  ) {
    super(`gave up waiting ${timeout} s for ${operation}; it is still running`);
  }
}

/** The Status was cancelled before it finished. */
export class StatusCancelledError extends DevicesError {
  override name = "StatusCancelledError";
  constructor(
    readonly operation: string,
    readonly reason = "",
  ) {
    super(`${operation} was cancelled${reason ? `: ${reason}` : ""}`);
  }
}

/** A Status was finished twice. */
export class InvalidStatusStateError extends DevicesError {
  override name = "InvalidStatusStateError";
  constructor(readonly operation: string) {
    super(`${operation} already finished; it cannot finish again`);
  }
}

/** A value is outside a device's limits. */
export class LimitError extends DevicesError {
  override name = "LimitError";
  constructor(
    readonly device: string,
    readonly value: number,
    readonly limits: { low: number; high: number },
  ) {
    const [side, limit] = value < limits.low ? ["low", limits.low] : ["high", limits.high];
    super(`${device} cannot move to ${value}: beyond ${side} limit ${limit}`);
  }
}

/** A write to something that can only be read. */
export class ReadOnlyError extends DevicesError {
  override name = "ReadOnlyError";
  constructor(
    readonly signal: string,
    value: unknown,
  ) {
    super(`${signal} is read-only; cannot write ${formatValue(value)} to it`);
  }
}

/** Some signals of a device failed to connect; each failure is listed. */
export class NotConnectedError extends DevicesError {
  override name = "NotConnectedError";
  constructor(
    readonly device: string,
    readonly failures: ReadonlyMap<string, Error>,
  ) {
    const lines = [...failures].map(([child, error]) => `  ${child}: ${error.message}`);
    super(`${device || "device"} is not connected:\n${lines.join("\n")}`, {
      cause: failures.values().next().value,
    });
  }
}

/** An operation ended early because the device was stopped. */
export class DeviceStoppedError extends DevicesError {
  override name = "DeviceStoppedError";
  constructor(
    readonly operation: string,
    where = "",
  ) {
    super(`${operation} was stopped${where ? ` ${where}` : ""}`);
  }
}

/** An operation was asked of a device in the wrong state (trigger before stage...). */
export class DeviceStateError extends DevicesError {
  override name = "DeviceStateError";
  constructor(
    readonly device: string,
    readonly operation: string,
    reason: string,
  ) {
    super(`${device} cannot ${operation}: ${reason}`);
  }
}

/** A value a device cannot take (wrong type, not one of the choices...). */
export class InvalidValueError extends DevicesError {
  override name = "InvalidValueError";
  /** `device` may be "" when a backend does not know it; the signal then fills it in. */
  constructor(
    readonly device: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${device || "signal"} cannot take ${formatValue(value)}: expected ${expected}`);
  }
}

/** Short text of a value for messages. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const length = Array.isArray(value) ? value.length : (value as Uint8Array).length;
    return `an array of ${length}`;
  }
  return String(value);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

/** Turns anything thrown into an Error, keeping Errors as they are. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
