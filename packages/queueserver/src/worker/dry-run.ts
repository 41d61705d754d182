// Dry run of queue items in the worker: the plan is built from its arguments and simulated
// with the engine's simulators (device limits, agent motor limits, estimated duration);
// nothing moves.
import { check_limits, describeCause, estimate_time } from "@cerulean/engine";
import type { MotorLimits } from "../manager/agents.ts";
import type { ExistingLists } from "../profiles/describe.ts";
import type { Environment } from "../profiles/profile.ts";
import type { QueueItem } from "../types.ts";
import { enforceMotorLimits } from "./motor-limits.ts";
import { resolveArguments } from "./resolve-args.ts";

/** One item's dry-run report. */
export interface DryRunResult {
  item_uid: string;
  name: string;
  success: boolean;
  msg: string;
  /** Seconds, from the moves, exposures and sleeps the plan would do; null on failure. */
  estimated_duration: number | null;
  /** Events the plan would emit. */
  num_events: number | null;
  /** Devices whose limits, speed or exposure are unknown (not checked / counted as instant). */
  warnings: string[];
}

/** Simulates one item (an agent's item with its motor limits). */
export async function dryRunItem(
  item: QueueItem,
  motors: MotorLimits | undefined,
  ctx: { env: Environment; lists: ExistingLists },
): Promise<DryRunResult> {
  const out: DryRunResult = {
    item_uid: item.item_uid,
    name: item.name,
    success: true,
    msg: "",
    estimated_duration: null,
    num_events: null,
    warnings: [],
  };
  if (item.item_type !== "plan") {
    out.msg = "Instructions are not simulated";
    return out;
  }
  try {
    const spec = ctx.env.plans[item.name];
    const description = ctx.lists.plans[item.name];
    if (!spec || !description) throw new Error(`Plan '${item.name}' is not in the environment`);
    const { args, kwargs } = resolveArguments(
      description,
      item.args ?? [],
      item.kwargs ?? {},
      ctx.env,
    );
    const build = () => {
      const plan = spec.build(args, kwargs);
      return motors ? enforceMotorLimits(plan, motors, ctx.env) : plan;
    };
    await check_limits(build(), { warn: (m) => out.warnings.push(m) });
    const estimate = await estimate_time(build());
    out.estimated_duration = estimate.total;
    out.num_events = estimate.points;
    for (const name of estimate.unknown)
      out.warnings.push(`${name}: speed or exposure unknown, counted as instant`);
  } catch (err) {
    out.success = false;
    out.msg = describeCause(err);
  }
  return out;
}
