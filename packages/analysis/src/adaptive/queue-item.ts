// The queue server's plan item, as agents propose it: devices are named by strings.

/** A plan to run, in bluesky-queueserver's item shape (`item_type: "plan"`). */
export interface QueueItem {
  item_type: "plan";
  /** The plan's Bluesky name (`scan`, `list_scan`...). */
  name: string;
  /** Positional arguments; devices appear as their names. */
  args: unknown[];
  /** Keyword arguments (the trailing options object of a TypeScript plan). */
  kwargs: Record<string, unknown>;
}

/** Builds a plan queue item. */
export function planItem(
  name: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
): QueueItem {
  return { item_type: "plan", name, args, kwargs };
}

/**
 * What an agent may do, declared up front and enforced by the queue server (and by the
 * in-process executor): which plans, which motors in which ranges, how many runs and how much
 * time in total. Keys follow the queue server's agent API.
 */
export interface AgentLimits {
  plans?: string[];
  /** Motor name → [lowest, highest] position the agent may send it to. */
  motors?: Record<string, [number, number]>;
  /** Most queue items (plans) the agent may submit. */
  max_runs?: number;
  /** Most seconds of plan execution in total. */
  max_total_time?: number;
}
