// tweak: an interactive alignment loop: read, show, ask for the next step, move, repeat.
import type { Readings } from "@cerulean/devices/protocols";
import { type Metadata, msg, objectName } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { run_wrapper } from "../preprocessors/run-wrapper.ts";
import { stage_wrapper } from "../preprocessors/stage.ts";
import { repr } from "../utils/repr.ts";
import {
  checkDetectors,
  checkMd,
  checkMovable,
  checkNumber,
  checkOptionKeys,
  hintedFields,
  type MdOption,
  names,
} from "./args.ts";
import { PlanValidationError } from "./errors.ts";

const short = (v: unknown): string =>
  typeof v === "number" ? String(Number(v.toPrecision(3))) : String(v);

/**
 * Reads `detector` and `motor`, prints `motor, position, value, (step)` as a prompt and moves
 * by the step typed (Enter keeps the last step); anything that is not a number ends the plan.
 */
export function tweak(
  detector: unknown,
  target_field: string,
  motor: unknown,
  step: number,
  options: MdOption = {},
): Plan<string | undefined> {
  const plan = "tweak";
  checkDetectors(plan, [detector], "detector");
  if (typeof target_field !== "string" || target_field === "") {
    throw new PlanValidationError(plan, "target_field", "the name of a data key", target_field);
  }
  checkMovable(plan, "motor", motor);
  checkNumber(plan, "step", step);
  checkOptionKeys(plan, options, ["md"]);
  const fields = hintedFields(motor);
  const md: Metadata = {
    detectors: names([detector]),
    motors: names([motor]),
    plan_args: { detector: repr(detector), target_field, motor: repr(motor), step },
    plan_name: plan,
    hints: fields === undefined ? {} : { dimensions: [[fields, "primary"]] },
    ...checkMd(plan, options.md),
  };
  let current = step;
  function* loop(): Plan<void> {
    for (;;) {
      yield msg("create", null, { kwargs: { name: "primary" } });
      const motorReading = (yield msg("read", motor)) as Readings | undefined;
      if (!motorReading) return;
      const position = Object.values(motorReading)[0]?.value as number;
      if (typeof (detector as { trigger?: unknown }).trigger === "function") {
        yield msg("trigger", detector, { kwargs: { group: "A" } });
      }
      yield msg("wait", null, { kwargs: { group: "A" } });
      const reading = (yield msg("read", detector)) as Readings;
      const value = reading[target_field]?.value;
      yield msg("save");
      const prompt = `${objectName(motor)}, ${short(position)}, ${short(value)}, (${current}) `;
      const answer = (yield msg("input", null, { kwargs: { prompt } })) as string | undefined;
      if (answer) {
        const parsed = answer.trim() === "" ? Number.NaN : Number(answer);
        if (!Number.isFinite(parsed)) break;
        current = parsed;
      }
      yield msg("set", motor, { args: [position + current], kwargs: { group: "A" } });
      yield msg("wait", null, { kwargs: { group: "A" } });
    }
  }
  return stage_wrapper(run_wrapper(loop(), { md }), [detector, motor]);
}
