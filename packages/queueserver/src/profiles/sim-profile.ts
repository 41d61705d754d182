// The built-in `sim` profile: ophyd.sim's beamline and Bluesky's common plans.
import { join } from "node:path";
import { createSimBeamline } from "@cerulean/devices/sim";
import * as engine from "@cerulean/engine";
import { bps, count, type PlanLike } from "@cerulean/engine";
import type { Environment, ParamSpec, PlanSpec, Profile } from "./profile.ts";

const DETECTORS: ParamSpec = {
  name: "detectors",
  type: "list[__READABLE__]",
  description: "Detectors to read.",
};
const MD: ParamSpec = {
  name: "md",
  kind: "KEYWORD_ONLY",
  type: "dict | None",
  default: null,
  description: "Metadata for the run.",
};

/** Keyword arguments without nulls (our plans take an options object). */
function options(
  kwargs: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names)
    if (kwargs[name] !== undefined && kwargs[name] !== null) out[name] = kwargs[name];
  return out;
}

type AnyPlan = (...args: unknown[]) => PlanLike;

/** A plan of the engine by its Bluesky name, when the engine exports it. */
function enginePlan(name: string): AnyPlan | undefined {
  const value =
    (engine.bp as unknown as Record<string, unknown>)[name] ??
    (engine as unknown as Record<string, unknown>)[name];
  return typeof value === "function" ? (value as AnyPlan) : undefined;
}

function scanLike(name: string, description: string): [string, PlanSpec] | undefined {
  const plan = enginePlan(name);
  if (!plan) return undefined;
  return [
    name,
    {
      description,
      parameters: [
        DETECTORS,
        {
          name: "args",
          kind: "VAR_POSITIONAL",
          description: "motor, start, stop, ... (per motor)",
        },
        { name: "num", kind: "KEYWORD_ONLY", type: "int | None", default: null, min: 1 },
        MD,
      ],
      build: ([dets, ...args], kwargs) =>
        plan(
          dets,
          ...args,
          ...(kwargs["num"] != null ? [kwargs["num"]] : []),
          options(kwargs, ["md"]),
        ),
    },
  ];
}

/** The plans of the sim profile (others join as the engine exports them). */
export function simPlans(): Record<string, PlanSpec> {
  const plans: Record<string, PlanSpec> = {
    count: {
      description: "Take one or more readings from detectors.",
      parameters: [
        DETECTORS,
        { name: "num", type: "int | None", default: 1, min: 1, description: "Number of readings." },
        {
          name: "delay",
          type: "float | None",
          default: null,
          min: 0,
          description: "Seconds between readings.",
        },
        MD,
      ],
      build: ([dets, num, delay], kwargs) =>
        count(dets as unknown[], (num ?? kwargs["num"] ?? 1) as number | null, {
          ...options(kwargs, ["md"]),
          delay: (delay ?? kwargs["delay"] ?? null) as number | null,
        }),
    },
    sleep: {
      description: "Sleep (no run): tells the RunEngine to wait.",
      parameters: [{ name: "time", type: "float", min: 0, description: "Seconds." }],
      build: ([time], kwargs) => bps.sleep((time ?? kwargs["time"]) as number),
    },
    mv: {
      description: "Move one or more devices to setpoints and wait (no run).",
      parameters: [
        {
          name: "args",
          kind: "VAR_POSITIONAL",
          description: "device1, value1, device2, value2, ...",
        },
      ],
      build: (args) => engine.mv(...args),
    },
  };
  const more = [
    scanLike("scan", "Scan over one multi-motor trajectory."),
    scanLike("rel_scan", "Scan over one multi-motor trajectory relative to current position."),
    scanLike(
      "list_scan",
      "Scan over one or more variables in steps simultaneously (inner product).",
    ),
    scanLike("grid_scan", "Scan over a mesh; each motor is on an independent trajectory."),
  ];
  for (const entry of more) if (entry) plans[entry[0]] = entry[1];
  return plans;
}

/** The `sim` profile: createSimBeamline's devices and simPlans(). */
export const simProfile: Profile = {
  name: "sim",
  async open(opts): Promise<Environment> {
    const beamline = await createSimBeamline({ dataDir: join(opts.dataDir, "files") });
    return { devices: { ...beamline }, plans: simPlans() };
  },
};
