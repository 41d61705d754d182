// Errors of the plan library: bad plan arguments (caught before anything moves) and ramp_plan's
// timeout. Kept here because the engine's errors.ts belongs to the RunEngine.
import { EngineError, PlanArgumentError } from "../errors.ts";
import { repr } from "../utils/repr.ts";

/**
 * A plan called with an argument it cannot use: names the plan, the argument, what was expected
 * and what was given. Thrown when the plan is built, before any message reaches hardware.
 */
export class PlanValidationError extends PlanArgumentError {
  override name = "PlanValidationError";
  constructor(
    readonly plan: string,
    readonly argument: string,
    readonly expected: string,
    readonly got?: unknown,
    options: { omitGot?: boolean } = {},
  ) {
    super(
      `${plan}: ${argument} must be ${expected}${options.omitGot ? "" : `; got ${describe(got)}`}`,
    );
  }
}

/** ramp_plan ran past its timeout before the ramp finished (Bluesky's RampFail). */
export class RampFail extends EngineError {
  override name = "RampFail";
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) {
    const simple = value.every((v) => v === null || typeof v !== "object");
    return simple && value.length <= 6 ? JSON.stringify(value) : `a list of ${value.length}`;
  }
  if (typeof value === "function") return `the function ${value.name || "(anonymous)"}`;
  return repr(value);
}
