// The engine's error family. Control exceptions (RequestStop, RequestAbort, PlanHalt) are thrown
// into plans to end them; the others name the message, object and value that went wrong.
import type { ExitStatus } from "@cerulean/event-model";

/** Base class of the engine's errors. */
export class EngineError extends Error {
  override name = "EngineError";
}

/** A message whose command no handler is registered for. */
export class InvalidCommand extends EngineError {
  override name = "InvalidCommand";
  constructor(
    readonly command: string,
    known: readonly string[],
  ) {
    super(`unknown message command "${command}"; registered commands: ${known.join(", ")}`);
  }
}

/** Messages in an order the engine cannot follow (a save without create, two open_runs...). */
export class IllegalMessageSequence extends EngineError {
  override name = "IllegalMessageSequence";
}

/** An object lacking the protocol a message needs (reading something that cannot be read). */
export class ProtocolError extends EngineError {
  override name = "ProtocolError";
}

/** A device method that threw or rejected; names the command and the device. */
export class DeviceError extends EngineError {
  override name = "DeviceError";
  constructor(
    readonly command: string,
    readonly device: string,
    cause: unknown,
  ) {
    super(`"${command}" of device "${device}" failed: ${describeCause(cause)}`, { cause });
  }
}

/** Data a device read or collected whose keys differ from what it described (Bluesky raises too). */
export class DataKeysMismatch extends EngineError {
  override name = "DataKeysMismatch";
  constructor(
    readonly device: string,
    readonly stream: string,
    readonly missing: readonly string[],
    readonly unexpected: readonly string[],
    what: string,
    cause?: unknown,
  ) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${JSON.stringify(missing)}`);
    if (unexpected.length > 0) parts.push(`unexpected ${JSON.stringify(unexpected)}`);
    super(
      `the data keys of ${what} of device "${device}" in stream "${stream}" differ from the keys it described: ${parts.join(", ")}`,
      { cause },
    );
  }
}

/** A Status that finished unsuccessfully (Bluesky's FailedStatus). */
export class FailedStatus extends EngineError {
  override name = "FailedStatus";
  constructor(
    readonly status: unknown,
    readonly command: string,
    readonly device: string,
    cause: unknown,
  ) {
    super(`the status of "${command}" on device "${device}" failed: ${describeCause(cause)}`, {
      cause,
    });
  }
}

/** A `wait` or `wait_for` that ran out of time. */
export class WaitForTimeoutError extends EngineError {
  override name = "WaitForTimeoutError";
}

/** A pause or suspension when the plan cannot be resumed (after clear_checkpoint): it aborts. */
export class FailedPause extends EngineError {
  override name = "FailedPause";
  readonly exitStatus: ExitStatus = "abort";
  constructor(
    message = "the plan cannot be paused here (no checkpoint since clear_checkpoint); aborting",
  ) {
    super(message);
  }
}

/** Thrown into a plan by `stop()`: its cleanup runs and the run ends with exit_status 'success'. */
export class RequestStop extends EngineError {
  override name = "RequestStop";
  readonly exitStatus: ExitStatus = "success";
  constructor() {
    super("the RunEngine was asked to stop");
  }
}

/** Thrown into a plan by `abort(reason)`: its cleanup runs and the run ends with 'abort'. */
export class RequestAbort extends EngineError {
  override name = "RequestAbort";
  readonly exitStatus: ExitStatus = "abort";
  constructor(readonly reason = "") {
    super(
      reason ? `the RunEngine was asked to abort: ${reason}` : "the RunEngine was asked to abort",
    );
  }
}

/** Ends a plan without its cleanup (`halt()`); the run ends with exit_status 'abort'. */
export class PlanHalt extends EngineError {
  override name = "PlanHalt";
  readonly exitStatus: ExitStatus = "abort";
  constructor() {
    super("the RunEngine was halted");
  }
}

/** A device refusing to be replayed after a pause (its `pause()` throws this). */
export class NoReplayAllowed extends EngineError {
  override name = "NoReplayAllowed";
}

/** Rejects `call()`/`resume()` when the plan pauses; the engine waits for resume/stop/abort/halt. */
export class RunEngineInterrupted extends EngineError {
  override name = "RunEngineInterrupted";
}

/** A state change the state machine does not allow (e.g. resume when not paused). */
export class TransitionError extends EngineError {
  override name = "TransitionError";
}

/** A request the engine cannot take in its current state (e.g. call while running). */
export class RunEngineBusy extends EngineError {
  override name = "RunEngineBusy";
}

/** The engine could not clean up and must be recreated. */
export class RunEnginePanicked extends EngineError {
  override name = "RunEnginePanicked";
}

/** A plan expression or argument that is not what a plan expects. */
export class PlanArgumentError extends EngineError {
  override name = "PlanArgumentError";
}

/** The persistent metadata file (RE.md on disk) cannot be read or written. */
export class MetadataPersistenceError extends EngineError {
  override name = "MetadataPersistenceError";
  constructor(
    readonly path: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/** Control exceptions thrown into plans by the engine; they carry the exit status they mean. */
export type ControlException = RequestStop | RequestAbort | PlanHalt | FailedPause;

/** True for the exceptions the engine throws into plans to end them (not plan failures). */
export function isControlException(err: unknown): err is ControlException {
  return (
    err instanceof RequestStop ||
    err instanceof RequestAbort ||
    err instanceof PlanHalt ||
    err instanceof FailedPause
  );
}

/** The message of a thrown value, whatever was thrown. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message || cause.name;
  if (typeof cause === "string") return cause;
  try {
    return JSON.stringify(cause) ?? String(cause);
  } catch {
    return String(cause);
  }
}

/** Turns anything thrown into an Error (plans and devices may throw strings). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new EngineError(`non-Error value thrown: ${describeCause(thrown)}`, { cause: thrown });
}
