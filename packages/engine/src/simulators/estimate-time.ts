// estimate_time: about how long a plan takes, from the distances it moves (at each motor's
// velocity), its detectors' exposure times and its sleeps. Nothing moves; devices are at most
// asked for their configuration.
import type { Readings } from "@cerulean/devices/protocols";
import type { Group } from "../msg.ts";
import { objectName } from "../msg.ts";
import type { PlanLike } from "../plan.ts";
import { type SimulateOptions, simulate } from "./simulate.ts";

/** Options of estimate_time. */
export interface EstimateTimeOptions extends SimulateOptions {
  /** Units per second, by device name (wins over what devices report). */
  velocities?: Readonly<Record<string, number>>;
  /** Seconds per trigger, by device name (wins over what devices report). */
  exposures?: Readonly<Record<string, number>>;
  /** Seconds added to every move (settling, acceleration); default 0. */
  settle_time?: number;
  /** Ask devices for their configuration (velocity, exposure time); default true. */
  query_devices?: boolean;
}

/** The estimate, in seconds. */
export interface TimeEstimate {
  total: number;
  /** Time spent waiting for moves. */
  moving: number;
  /** Time spent waiting for triggers (exposures). */
  acquiring: number;
  /** Time spent in sleeps (delays). */
  sleeping: number;
  /** Events the plan would emit. */
  points: number;
  /** Devices moved or triggered whose speed or exposure is unknown (counted as instant). */
  unknown: string[];
}

const EXPOSURE_KEYS = ["_exposure_time", "_acquire_time", "_count_time", "_exposure"];

async function configurationOf(device: unknown): Promise<Readings> {
  const d = device as { readConfiguration?: () => Promise<Readings> } | null;
  if (typeof d?.readConfiguration !== "function") return {};
  try {
    return await d.readConfiguration();
  } catch {
    return {};
  }
}

function numberIn(config: Readings, suffixes: readonly string[]): number | undefined {
  for (const [key, reading] of Object.entries(config)) {
    if (suffixes.some((s) => key.endsWith(s)) && typeof reading.value === "number") {
      return reading.value;
    }
  }
  return undefined;
}

/**
 * Estimates how long `plan` takes: each `wait` lasts as long as the slowest move (distance /
 * velocity + settle_time) or trigger (exposure) of its group; sleeps add their seconds. Moves
 * in one group overlap, as they do on the RunEngine.
 */
export async function estimate_time(
  plan: PlanLike,
  options: EstimateTimeOptions = {},
): Promise<TimeEstimate> {
  type Action =
    | { kind: "move"; device: unknown; distance: number; group: Group | undefined }
    | { kind: "trigger"; device: unknown; group: Group | undefined }
    | { kind: "wait"; group: Group | undefined }
    | { kind: "sleep"; seconds: number }
    | { kind: "save" };
  const actions: Action[] = [];
  simulate(plan, options, (m, state) => {
    const group = (m.kwargs["group"] ?? m.args[0]) as Group | undefined;
    switch (m.command) {
      case "set": {
        const from = state.positionOf(m.obj);
        const to = m.args[0];
        const distance =
          typeof from === "number" && typeof to === "number" ? Math.abs(to - from) : 0;
        actions.push({ kind: "move", device: m.obj, distance, group: m.kwargs["group"] as Group });
        break;
      }
      case "trigger":
        actions.push({ kind: "trigger", device: m.obj, group: m.kwargs["group"] as Group });
        break;
      case "wait":
        actions.push({ kind: "wait", group });
        break;
      case "sleep":
        actions.push({ kind: "sleep", seconds: Number(m.args[0]) || 0 });
        break;
      case "save":
        actions.push({ kind: "save" });
        break;
    }
  });
  const velocity = new Map<unknown, number | undefined>();
  const exposure = new Map<unknown, number | undefined>();
  const query = options.query_devices ?? true;
  for (const action of actions) {
    if (action.kind === "move" && !velocity.has(action.device)) {
      const given = options.velocities?.[objectName(action.device)];
      const config = given === undefined && query ? await configurationOf(action.device) : {};
      velocity.set(action.device, given ?? numberIn(config, ["_velocity"]));
    }
    if (action.kind === "trigger" && !exposure.has(action.device)) {
      const given = options.exposures?.[objectName(action.device)];
      const own = (action.device as { exposureTime?: unknown }).exposureTime;
      const config = given === undefined && query ? await configurationOf(action.device) : {};
      exposure.set(
        action.device,
        given ?? (typeof own === "number" ? own : numberIn(config, EXPOSURE_KEYS)),
      );
    }
  }
  const settle = options.settle_time ?? 0;
  const pending = new Map<Group | undefined, { move: number; acquire: number }>();
  const estimate: TimeEstimate = {
    total: 0,
    moving: 0,
    acquiring: 0,
    sleeping: 0,
    points: 0,
    unknown: [],
  };
  const unknown = new Set<string>();
  const flush = (group: Group | undefined): void => {
    const p = pending.get(group);
    if (!p) return;
    pending.delete(group);
    // A group's statuses run at the same time: it lasts as long as its slowest one.
    if (p.move >= p.acquire) estimate.moving += p.move;
    else estimate.acquiring += p.acquire;
  };
  for (const action of actions) {
    if (action.kind === "sleep") estimate.sleeping += action.seconds;
    else if (action.kind === "save") estimate.points++;
    else if (action.kind === "wait") flush(action.group);
    else {
      const p = pending.get(action.group) ?? { move: 0, acquire: 0 };
      pending.set(action.group, p);
      if (action.kind === "move") {
        const v = velocity.get(action.device);
        if (v === undefined || v <= 0) unknown.add(objectName(action.device));
        else p.move = Math.max(p.move, action.distance / v + settle);
      } else {
        const t = exposure.get(action.device);
        if (t === undefined) unknown.add(objectName(action.device));
        else p.acquire = Math.max(p.acquire, t);
      }
    }
  }
  for (const group of [...pending.keys()]) flush(group);
  estimate.total = estimate.moving + estimate.acquiring + estimate.sleeping;
  estimate.unknown = [...unknown];
  return estimate;
}
