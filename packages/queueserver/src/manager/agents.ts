// Guard rails for agents (programs steering the queue): each registered agent declares limits
// (plans, motor ranges, number of runs, total run time) that the manager enforces on its items,
// and may require a human's approval before each of its items runs. Persisted like the queue.
import { RequestFailedError } from "../errors.ts";
import type { ExistingLists } from "../profiles/describe.ts";
import type { QueueStorage } from "../queue/storage.ts";
import type { QueueItem } from "../types.ts";
import { shouldConvert } from "../worker/resolve-args.ts";

/** Motor name -> [low, high] (inclusive) for every `set` an agent's plan may do. */
export type MotorLimits = Record<string, [low: number, high: number]>;

/** What an agent may do; an absent field is not limited. */
export interface AgentLimits {
  plans?: string[];
  motors?: MotorLimits;
  max_runs?: number;
  /** Seconds of plan run time, summed over the agent's items. */
  max_total_time?: number;
}

/** A registered agent as `agent/list` shows it. */
export interface AgentRecord {
  name: string;
  limits: AgentLimits;
  require_approval: boolean;
  /** The agent's plans that ran (any outcome). */
  runs_done: number;
  /** Seconds those plans ran. */
  time_used: number;
}

const RECORD_KEY = "agents";
const LIMIT_KEYS = ["plans", "motors", "max_runs", "max_total_time"];

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the `limits` of a registration; throws with the offending value. */
export function checkLimits(value: unknown): AgentLimits {
  if (value === undefined) return {};
  if (!isObject(value))
    throw new RequestFailedError(`Parameter 'limits' must be a dictionary: ${show(value)}`);
  const unknown = Object.keys(value).filter((k) => !LIMIT_KEYS.includes(k));
  if (unknown.length)
    throw new RequestFailedError(
      `Unsupported agent limits ${show(unknown)}: supported keys are ${show(LIMIT_KEYS)}`,
    );
  const out: AgentLimits = {};
  const { plans, motors, max_runs, max_total_time } = value;
  if (plans !== undefined) {
    if (!Array.isArray(plans) || plans.some((p) => typeof p !== "string"))
      throw new RequestFailedError(`Limit 'plans' must be a list of plan names: ${show(plans)}`);
    out.plans = [...(plans as string[])];
  }
  if (motors !== undefined) {
    if (!isObject(motors))
      throw new RequestFailedError(
        `Limit 'motors' must map device names to [low, high]: ${show(motors)}`,
      );
    out.motors = {};
    for (const [name, range] of Object.entries(motors)) {
      const ok =
        Array.isArray(range) &&
        range.length === 2 &&
        range.every((x) => typeof x === "number" && Number.isFinite(x)) &&
        (range[0] as number) <= (range[1] as number);
      if (!ok)
        throw new RequestFailedError(
          `Limit of motor '${name}' must be [low, high] with finite numbers, low <= high: ${show(range)}`,
        );
      out.motors[name] = [range[0] as number, range[1] as number];
    }
  }
  if (max_runs !== undefined) {
    if (!Number.isInteger(max_runs) || (max_runs as number) < 0)
      throw new RequestFailedError(
        `Limit 'max_runs' must be a non-negative integer: ${show(max_runs)}`,
      );
    out.max_runs = max_runs as number;
  }
  if (max_total_time !== undefined) {
    if (
      typeof max_total_time !== "number" ||
      !Number.isFinite(max_total_time) ||
      max_total_time < 0
    )
      throw new RequestFailedError(
        `Limit 'max_total_time' must be a non-negative number of seconds: ${show(max_total_time)}`,
      );
    out.max_total_time = max_total_time;
  }
  return out;
}

/** Device names (root or dotted) anywhere in a JSON value that name movable devices. */
export function movableNames(value: unknown, lists: ExistingLists, out = new Set<string>()) {
  if (typeof value === "string") {
    const root = value.split(".")[0] ?? value;
    if (lists.devices[root]?.is_movable) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) movableNames(v, lists, out);
  } else if (isObject(value)) {
    for (const v of Object.values(value)) movableNames(v, lists, out);
  }
  return out;
}

/**
 * Movable devices named in the arguments the worker turns into devices (as resolveArguments
 * does: not `md`, not parameters typed as plain strings).
 */
export function movableArguments(item: QueueItem, lists: ExistingLists): Set<string> {
  const out = new Set<string>();
  const plan = lists.plans[item.name];
  const params = plan?.parameters ?? [];
  const positional = params.filter((p) => p.kind.name === "POSITIONAL_OR_KEYWORD");
  const varPos = params.find((p) => p.kind.name === "VAR_POSITIONAL");
  const varKw = params.find((p) => p.kind.name === "VAR_KEYWORD");
  (item.args ?? []).forEach((value, i) => {
    const p = positional[i] ?? varPos;
    if (shouldConvert(p?.annotation?.type)) movableNames(value, lists, out);
  });
  for (const [key, value] of Object.entries(item.kwargs ?? {})) {
    const p = params.find((q) => q.name === key) ?? varKw;
    if (key !== "md" && shouldConvert(p?.annotation?.type)) movableNames(value, lists, out);
  }
  return out;
}

/** The registered agents, their limits and counters. */
export class AgentRegistry {
  readonly #storage: QueueStorage;
  readonly #agents: Map<string, AgentRecord>;

  constructor(storage: QueueStorage) {
    this.#storage = storage;
    const stored = storage.getRecord<Record<string, AgentRecord>>(RECORD_KEY) ?? {};
    this.#agents = new Map(Object.entries(stored));
  }

  /** Registers `name`, or updates its limits and approval keeping its counters. */
  register(name: unknown, limits: unknown, requireApproval: unknown): AgentRecord {
    if (typeof name !== "string" || name.trim() === "")
      throw new RequestFailedError(`Agent name must be a non-empty string: ${show(name)}`);
    if (requireApproval !== undefined && typeof requireApproval !== "boolean")
      throw new RequestFailedError(
        `Parameter 'require_approval' must be a boolean: ${show(requireApproval)}`,
      );
    const previous = this.#agents.get(name);
    const record: AgentRecord = {
      name,
      limits: checkLimits(limits),
      require_approval: requireApproval === true,
      runs_done: previous?.runs_done ?? 0,
      time_used: previous?.time_used ?? 0,
    };
    this.#agents.set(name, record);
    this.#save();
    return structuredClone(record);
  }

  list(): AgentRecord[] {
    return [...this.#agents.values()].map((a) => structuredClone(a));
  }

  /** The agent, or a failure naming the unknown name. */
  get(name: string): AgentRecord {
    const agent = this.#agents.get(name);
    if (!agent)
      throw new RequestFailedError(
        `Agent '${name}' is not registered (registered agents: ${show([...this.#agents.keys()])})`,
      );
    return agent;
  }

  /**
   * Checks `items` submitted by `name` against its limits. `queued` counts the agent's items
   * already in the queue or running: they will use runs too, so `max_runs` bounds the sum.
   */
  checkSubmit(name: string, items: readonly QueueItem[], lists: ExistingLists, queued: number) {
    const agent = this.get(name);
    const { limits } = agent;
    for (const item of items) {
      if (item.item_type !== "plan") continue;
      if (limits.plans && !limits.plans.includes(item.name))
        throw new RequestFailedError(
          `Agent '${name}' may not run plan '${item.name}': allowed plans are ${show(limits.plans)}`,
        );
      if (limits.motors) {
        for (const motor of movableArguments(item, lists)) {
          if (!(motor in limits.motors))
            throw new RequestFailedError(
              `Agent '${name}' may not move '${motor}': allowed motors are ${show(Object.keys(limits.motors))}`,
            );
        }
      }
    }
    const plans = items.filter((i) => i.item_type === "plan").length;
    if (limits.max_runs !== undefined && agent.runs_done + queued + plans > limits.max_runs)
      throw new RequestFailedError(
        `Agent '${name}' has used up its max_runs limit of ${limits.max_runs}: ${agent.runs_done} done, ${queued} queued, ${plans} submitted`,
      );
    this.checkTime(agent);
  }

  /** Throws when the agent has no run time left. */
  checkTime(agent: AgentRecord): void {
    const max = agent.limits.max_total_time;
    if (max !== undefined && agent.time_used >= max)
      throw new RequestFailedError(
        `Agent '${agent.name}' has used up its max_total_time limit of ${max} s: ${agent.time_used.toFixed(3)} s used`,
      );
  }

  /** Throws when the agent may not start one more plan now (limits lowered, time used). */
  checkStart(name: string): void {
    const agent = this.get(name);
    const max = agent.limits.max_runs;
    if (max !== undefined && agent.runs_done >= max)
      throw new RequestFailedError(
        `Agent '${name}' has used up its max_runs limit of ${max}: ${agent.runs_done} done`,
      );
    this.checkTime(agent);
  }

  /** Counts one finished plan of `name` that ran for `seconds`. */
  recordRun(name: string, seconds: number): void {
    const agent = this.#agents.get(name);
    if (!agent) return;
    agent.runs_done += 1;
    agent.time_used += Math.max(0, seconds);
    this.#save();
  }

  #save(): void {
    this.#storage.setRecord(RECORD_KEY, Object.fromEntries(this.#agents));
  }
}
