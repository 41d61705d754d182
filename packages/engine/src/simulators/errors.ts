// Errors of the simulators.
import { EngineError } from "../errors.ts";

/** A simulated plan that did not end within the message limit (e.g. an interactive loop). */
export class SimulationError extends EngineError {
  override name = "SimulationError";
}

/** A move the plan would make outside a device's limits, found by check_limits. */
export class LimitViolation extends EngineError {
  override name = "LimitViolation";
  constructor(
    message: string,
    readonly device: string,
    readonly value: unknown,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}
