// Checks a proposed item against an agent's declared limits, before it is run in-process (the
// queue server makes the same checks for items submitted over HTTP).
import { AgentLimitError } from "./errors.ts";
import type { AgentLimits, QueueItem } from "./queue-item.ts";

/** Motor → target positions of the plans whose argument layout is known here. */
export function motorTargets(item: QueueItem): Map<string, number[]> | null {
  const out = new Map<string, number[]>();
  const add = (motor: unknown, values: unknown[]) => {
    if (typeof motor !== "string") return;
    const numbers = values.flatMap((v) => (Array.isArray(v) ? v : [v]));
    out.set(motor, [
      ...(out.get(motor) ?? []),
      ...numbers.filter((v): v is number => typeof v === "number"),
    ]);
  };
  const rest = item.args.slice(1);
  switch (item.name) {
    case "mv":
      for (let i = 0; i + 1 < item.args.length; i += 2) add(item.args[i], [item.args[i + 1]]);
      return out;
    case "list_scan":
    case "list_grid_scan":
      for (let i = 0; i + 1 < rest.length; i += 2) add(rest[i], [rest[i + 1]]);
      return out;
    case "scan":
      for (let i = 0; i + 2 < rest.length; i += 3) add(rest[i], [rest[i + 1], rest[i + 2]]);
      return out;
    case "grid_scan":
      for (let i = 0; i + 3 < rest.length; i += 4) add(rest[i], [rest[i + 1], rest[i + 2]]);
      return out;
    case "count":
      return out;
    default:
      return null;
  }
}

/**
 * Throws AgentLimitError when `item` breaks `limits`: a plan not allowed, a motor not declared
 * or sent out of its range, or one run more than max_runs (`runsSoFar` counts earlier items).
 */
export function checkItemLimits(
  agent: string,
  item: QueueItem,
  limits: AgentLimits,
  runsSoFar: number,
): void {
  if (limits.plans && !limits.plans.includes(item.name)) {
    throw new AgentLimitError(
      `agent "${agent}" proposed plan "${item.name}"; its limits allow only ${JSON.stringify(limits.plans)}`,
    );
  }
  if (limits.max_runs !== undefined && runsSoFar + 1 > limits.max_runs) {
    throw new AgentLimitError(
      `agent "${agent}" proposed run ${runsSoFar + 1}; its limits allow at most ${limits.max_runs}`,
    );
  }
  const motors = limits.motors;
  if (!motors) return;
  const targets = motorTargets(item);
  if (targets === null) {
    throw new AgentLimitError(
      `agent "${agent}" proposed plan "${item.name}", whose motor arguments cannot be checked against its motor limits`,
    );
  }
  for (const [motor, values] of targets) {
    const range = motors[motor];
    if (!range) {
      throw new AgentLimitError(
        `agent "${agent}" proposed moving "${motor}"; its limits declare only ${JSON.stringify(Object.keys(motors))}`,
      );
    }
    const bad = values.find((v) => !(v >= range[0] && v <= range[1]));
    if (bad !== undefined) {
      throw new AgentLimitError(
        `agent "${agent}" proposed moving "${motor}" to ${bad}; its limits allow [${range[0]}, ${range[1]}]`,
      );
    }
  }
}
