// Plan and device descriptions in bluesky-queueserver's `existing_plans` / `existing_devices`
// shapes (what plans_existing and devices_existing return, and what validation reads).
import { repr } from "@cerulean/engine";
import { PARAM_KIND_VALUES, type ParamSpec, type PlanSpec } from "./profile.ts";

/** One described parameter. */
export interface ParamDescription {
  name: string;
  kind: { name: string; value: number };
  default?: string;
  /** The default as JSON (our addition: Python's `default` is a repr string). */
  default_value?: unknown;
  annotation?: { type: string };
  description?: string;
  min?: number;
  max?: number;
  step?: number;
  enum?: string[];
}

export interface PlanDescription {
  name: string;
  module: string;
  description: string;
  properties: { is_generator: boolean };
  parameters: ParamDescription[];
}

export interface DeviceDescription {
  classname: string;
  module: string;
  is_readable: boolean;
  is_movable: boolean;
  is_flyable: boolean;
}

export interface ExistingLists {
  plans: Record<string, PlanDescription>;
  devices: Record<string, DeviceDescription>;
}

function describeParam(p: ParamSpec): ParamDescription {
  const kind = p.kind ?? "POSITIONAL_OR_KEYWORD";
  const out: ParamDescription = {
    name: p.name,
    kind: { name: kind, value: PARAM_KIND_VALUES[kind] },
  };
  if ("default" in p) {
    out.default = repr(p.default);
    out.default_value = p.default ?? null;
  }
  if (p.type !== undefined) out.annotation = { type: p.type };
  for (const key of ["description", "min", "max", "step", "enum"] as const) {
    if (p[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = p[key];
  }
  return out;
}

export function describePlans(plans: Record<string, PlanSpec>): Record<string, PlanDescription> {
  const out: Record<string, PlanDescription> = {};
  for (const [name, spec] of Object.entries(plans)) {
    out[name] = {
      name,
      module: "cerulean",
      description: spec.description,
      properties: { is_generator: true },
      parameters: spec.parameters.map(describeParam),
    };
  }
  return out;
}

function has(obj: unknown, method: string): boolean {
  return typeof (obj as Record<string, unknown> | null)?.[method] === "function";
}

export function describeDevices(
  devices: Record<string, unknown>,
): Record<string, DeviceDescription> {
  const out: Record<string, DeviceDescription> = {};
  for (const [name, device] of Object.entries(devices)) {
    if (typeof device !== "object" || device === null) continue;
    out[name] = {
      classname: device.constructor?.name ?? "Object",
      module: "@cerulean/devices",
      is_readable: has(device, "read") && has(device, "describe"),
      is_movable: has(device, "set"),
      is_flyable: has(device, "kickoff") && has(device, "complete"),
    };
  }
  return out;
}

/** The simplified per-parameter form for web forms (`reduced: true`). */
export function reducePlan(plan: PlanDescription): Record<string, unknown> {
  return {
    name: plan.name,
    description: plan.description,
    parameters: plan.parameters.map((p) => {
      const type = p.annotation?.type ?? "";
      const base = type.replace(/\s*\|\s*None/g, "");
      const isList = base.startsWith("list[");
      const inner = isList ? base.slice(5, -1) : base;
      return {
        name: p.name,
        description: p.description ?? "",
        kind: p.kind,
        type: ["int", "float", "str", "bool"].includes(inner) ? inner : "str",
        enum: p.enum ?? null,
        is_list: isList,
        default: p.default_value ?? null,
        is_optional: p.default !== undefined || p.kind.value === 2 || p.kind.value === 4,
        min: p.min ?? null,
        max: p.max ?? null,
        step: p.step ?? null,
      };
    }),
  };
}
