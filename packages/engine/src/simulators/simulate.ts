// Runs a plan without a RunEngine or hardware: every message gets a plausible answer (finished
// statuses, readings of the simulated positions), so the simulators can see what a plan would do.
import type { Location, Readings, Status, StatusCallback } from "@cerulean/devices/protocols";
import type { Msg } from "../msg.ts";
import { ensureGenerator, type PlanLike } from "../plan.ts";
import { SimulationError } from "./errors.ts";

/** How a simulation answers. */
export interface SimulateOptions {
  /** Where devices start, by device or by name (default: their `position` if a number, else 0). */
  positions?: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>;
  /** Readings of a device that was not moved (default: 0 for each hinted field, or its name). */
  read?: (device: unknown) => Readings | undefined;
  /** The answer to input prompts (default ""). */
  input?: string;
  /** Give up after this many messages (default 1,000,000): interactive plans never end. */
  maxMessages?: number;
}

/** What the simulation knows while a message passes. */
export interface SimulationState {
  /** Where `device` is (before the message being observed takes effect). */
  positionOf(device: unknown): unknown;
  /** How many messages came before this one. */
  readonly index: number;
}

/** The messages of a simulated plan and what it returned. */
export interface Simulation {
  messages: Msg[];
  result: unknown;
}

/** A Status that is already finished successfully. */
export function finishedStatus(): Status {
  const status: Status = {
    done: true,
    success: true,
    exception: undefined,
    addCallback(callback: StatusCallback) {
      callback(status);
    },
    wait: () => Promise.resolve(),
    // biome-ignore lint/suspicious/noThenProperty: a Status is awaitable by contract.
    then: (onFulfilled, onRejected) => Promise.resolve().then(onFulfilled, onRejected),
  };
  return status;
}

function nameOf(device: unknown): string {
  const name = (device as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : String(device);
}

function fieldsOf(device: unknown): string[] {
  try {
    const fields = (device as { hints?: { fields?: unknown } } | null)?.hints?.fields;
    if (Array.isArray(fields) && fields.length > 0) return fields as string[];
  } catch {
    // A device whose hints cannot be computed reads under its name.
  }
  return [nameOf(device)];
}

/**
 * Runs `plan` to its end, answering each message as the RunEngine would if every device
 * responded at once; `observe(msg, state)` sees each message before it takes effect.
 */
export function simulate(
  plan: PlanLike,
  options: SimulateOptions = {},
  observe?: (msg: Msg, state: SimulationState) => void,
): Simulation {
  const moved = new Map<unknown, unknown>();
  const start = options.positions;
  const positionOf = (device: unknown): unknown => {
    if (moved.has(device)) return moved.get(device);
    if (start instanceof Map) {
      if (start.has(device)) return start.get(device);
    } else if (start && nameOf(device) in start) {
      return (start as Record<string, number>)[nameOf(device)];
    }
    const own = (device as { position?: unknown } | null)?.position;
    return typeof own === "number" ? own : 0;
  };
  const readingsOf = (device: unknown): Readings => {
    const given = moved.has(device) ? undefined : options.read?.(device);
    if (given) return given;
    const value = moved.has(device) ? moved.get(device) : 0;
    return Object.fromEntries(fieldsOf(device).map((f) => [f, { value, timestamp: 0 }]));
  };
  const location = (device: unknown): Location => {
    const p = positionOf(device);
    return { setpoint: p, readback: p };
  };
  const messages: Msg[] = [];
  const limit = options.maxMessages ?? 1_000_000;
  let runs = 0;
  let token = 0;
  let rewindable = true;
  const runUids: string[] = [];
  const answer = (m: Msg): unknown => {
    switch (m.command) {
      case "open_run":
        runUids.push(`simulated-run-${++runs}`);
        return runUids[runUids.length - 1];
      case "close_run":
        return runUids.pop();
      case "set":
        moved.set(m.obj, m.args[0]);
        return finishedStatus();
      case "trigger":
      case "kickoff":
      case "complete":
      case "prepare":
        return finishedStatus();
      case "stage":
      case "unstage":
      case "collect":
      case "wait_for":
        return [];
      case "read":
        return readingsOf(m.obj);
      case "locate": {
        const all = [m.obj, ...m.args].map(location);
        return m.kwargs["squeeze"] !== false && all.length === 1 ? all[0] : all;
      }
      case "wait":
        return true;
      case "rewindable":
        if (typeof m.args[0] === "boolean") rewindable = m.args[0];
        return rewindable;
      case "declare_stream":
        return [{}, () => ({}), m.args];
      case "configure":
        return [{}, {}];
      case "subscribe":
        return token++;
      case "input":
        return options.input ?? "";
      default:
        return undefined;
    }
  };
  const gen = ensureGenerator(plan);
  let response: unknown;
  for (let step = gen.next(); ; step = gen.next(response)) {
    if (step.done) return { messages, result: step.value };
    if (messages.length >= limit) {
      gen.return(undefined);
      throw new SimulationError(
        `the plan did not end within ${limit} messages (an interactive or endless plan?); raise maxMessages to simulate longer`,
      );
    }
    const m = step.value;
    observe?.(m, { positionOf, index: messages.length });
    messages.push(m);
    response = answer(m);
  }
}
