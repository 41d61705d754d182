// Runs an agent's proposals on a RunEngine in the same process and feeds the documents back.
import type { DocumentCallback } from "@cerulean/event-model";
import type { Agent } from "./agent.ts";
import { checkItemLimits } from "./check-limits.ts";
import { AgentLimitError, AgentRunError } from "./errors.ts";
import type { QueueItem } from "./queue-item.ts";

/** What the in-process executor needs of a RunEngine (the engine's RunEngine fits it). */
export interface RunEngineLike<TPlan> {
  call(plan: TPlan, options?: { subs?: DocumentCallback }): Promise<unknown>;
}

/** A plan function: positional arguments, then keyword arguments as a trailing options object. */
export type PlanFunction<TPlan> = (...args: unknown[]) => TPlan;

/** Options of runAgentInProcess. */
export interface InProcessOptions<TPlan> {
  engine: RunEngineLike<TPlan>;
  /** Plan name → plan function (`{ scan, list_scan }`). */
  plans: Readonly<Record<string, PlanFunction<TPlan>>>;
  /** Device name → device: names in an item's arguments become these objects. */
  devices: Readonly<Record<string, unknown>>;
  /** Called with each item before it runs. */
  onItem?: (item: QueueItem) => void;
}

/** What an executor did. */
export interface AgentRunSummary {
  /** Items run, in order. */
  items: QueueItem[];
  /** The agent's report at the end. */
  report: Record<string, unknown>;
}

/**
 * Asks the agent for plans and runs them on `engine` until it is done, each run's documents
 * going to the agent; the agent's limits are checked before every item (AgentLimitError).
 * @example await runAgentInProcess(agent, { engine: RE, plans: { scan }, devices: beamline })
 */
export async function runAgentInProcess<TPlan>(
  agent: Agent,
  options: InProcessOptions<TPlan>,
): Promise<AgentRunSummary> {
  const items: QueueItem[] = [];
  let secondsUsed = 0;
  for (;;) {
    const proposals = agent.propose();
    if (proposals.length === 0) break;
    for (const item of proposals) {
      checkItemLimits(agent.name, item, agent.limits, items.length);
      const maxTime = agent.limits.max_total_time;
      if (maxTime !== undefined && secondsUsed >= maxTime) {
        throw new AgentLimitError(
          `agent "${agent.name}" has used ${secondsUsed.toFixed(3)} s of its max_total_time of ${maxTime} s; "${item.name}" was not run`,
        );
      }
      const plan = options.plans[item.name];
      if (!plan) {
        throw new AgentRunError(
          `agent "${agent.name}" proposed plan "${item.name}", which is not in the plan registry (${Object.keys(options.plans).join(", ")})`,
        );
      }
      options.onItem?.(item);
      items.push(item);
      const args = item.args.map((a) => resolveDevices(a, options.devices));
      const kwargs = resolveDevices(item.kwargs, options.devices);
      const withOptions = Object.keys(item.kwargs).length > 0 ? [...args, kwargs] : args;
      const started = performance.now();
      try {
        await options.engine.call(plan(...withOptions), { subs: agent.callback });
      } catch (err) {
        throw new AgentRunError(
          `agent "${agent.name}": plan "${item.name}" failed: ${(err as Error).message}`,
          { cause: err },
        );
      } finally {
        secondsUsed += (performance.now() - started) / 1000;
      }
    }
  }
  return { items, report: agent.report() };
}

/** Replaces device names by devices, through arrays and plain objects (md stays as it is). */
function resolveDevices(value: unknown, devices: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === "string") return Object.hasOwn(devices, value) ? devices[value] : value;
  if (Array.isArray(value)) return value.map((v) => resolveDevices(v, devices));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "md" ? v : resolveDevices(v, devices)]),
    );
  }
  return value;
}
