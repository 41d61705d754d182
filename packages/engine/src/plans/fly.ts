// fly: a fly scan: kick off the flyers, wait for them to complete, collect their data.
import type { Metadata } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { collect, complete, kickoff } from "../plan-stubs/fly.ts";
import { close_run, open_run } from "../plan-stubs/run.ts";
import { checkMd, checkOptionKeys, type MdOption } from "./args.ts";
import { PlanValidationError } from "./errors.ts";

/**
 * Opens a run, kicks off each flyer (waiting), completes each (waiting), collects each, and
 * closes the run; returns the run's start uid.
 */
export function fly(flyers: readonly unknown[], options: MdOption = {}): Plan<string> {
  const plan = "fly";
  if (!Array.isArray(flyers)) {
    throw new PlanValidationError(plan, "flyers", "a list of flyable devices", flyers);
  }
  flyers.forEach((f, i) => {
    const flyer = f as { kickoff?: unknown; complete?: unknown } | null;
    if (typeof flyer?.kickoff !== "function" || typeof flyer.complete !== "function") {
      throw new PlanValidationError(
        plan,
        `flyers[${i}]`,
        "a flyable device (with kickoff() and complete())",
        f,
      );
    }
  });
  checkOptionKeys(plan, options, ["md"]);
  // Bluesky's RunEngine names the run after the generator function: "fly".
  const md: Metadata = { plan_name: plan, ...checkMd(plan, options.md) };
  return (function* fly(): Plan<string> {
    const uid = yield* open_run(md);
    for (const flyer of flyers) yield* kickoff(flyer, { wait: true });
    for (const flyer of flyers) yield* complete(flyer, { wait: true });
    for (const flyer of flyers) yield* collect(flyer);
    yield* close_run();
    return uid;
  })();
}
