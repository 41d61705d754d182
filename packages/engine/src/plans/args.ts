// Argument handling shared by the plans: Python-style positional arguments followed by an
// optional options object (Bluesky's keyword arguments), checked before the plan is built.
import type { Metadata } from "../msg.ts";
import { nameOf, repr } from "../utils/repr.ts";
import { PlanValidationError } from "./errors.ts";

/** A plan's keyword arguments that every plan takes. */
export interface MdOption {
  /** Metadata added to the start document (wins over the plan's own keys). */
  md?: Metadata;
}

/** True for an options object: a plain object that is not a device (no set/read methods). */
export function isOptions(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const v = value as { set?: unknown; read?: unknown };
  return typeof v.set !== "function" && typeof v.read !== "function";
}

/** Splits `[...positional, options?]` into the positional part and the options (or {}). */
export function splitOptions<T extends object>(args: readonly unknown[]): [unknown[], T] {
  const last = args[args.length - 1];
  if (args.length > 0 && isOptions(last)) return [args.slice(0, -1), last as T];
  return [[...args], {} as T];
}

/** Checks `detectors` is a list of readable devices (Bluesky accepts only a list or tuple). */
export function checkDetectors(plan: string, detectors: unknown, argument = "detectors"): void {
  if (!Array.isArray(detectors)) {
    throw new PlanValidationError(plan, argument, "a list of readable devices", detectors);
  }
  detectors.forEach((det, i) => {
    if (!isReadable(det)) {
      throw new PlanValidationError(
        plan,
        `${argument}[${i}]`,
        "a readable device (with read() and describe())",
        det,
      );
    }
  });
}

/** Checks `value` can be moved (has set()). */
export function checkMovable(plan: string, argument: string, value: unknown): void {
  if (typeof (value as { set?: unknown } | null)?.set !== "function") {
    throw new PlanValidationError(plan, argument, "a movable device (with set())", value);
  }
}

/** Checks `value` is a finite number. */
export function checkNumber(plan: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new PlanValidationError(plan, argument, "a finite number", value);
  }
  return value;
}

/** Checks `value` is a whole number of points, at least `min` (default 1). */
export function checkCount(plan: string, argument: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new PlanValidationError(plan, argument, `a whole number >= ${min}`, value);
  }
  return value;
}

/** Checks `value` is a finite list of finite numbers. */
export function checkPositions(plan: string, argument: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    throw new PlanValidationError(plan, argument, "a list of finite numbers", value);
  }
  return [...value] as number[];
}

/** Checks an optional function argument (per_step, per_shot...). */
export function checkFunction(plan: string, argument: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== "function") {
    throw new PlanValidationError(plan, argument, "a function (or omitted)", value);
  }
}

/** Rejects option keys the plan does not know (a typo would otherwise be silently ignored). */
export function checkOptionKeys(plan: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new PlanValidationError(
        plan,
        `option "${key}"`,
        `one of ${known.join(", ")}`,
        undefined,
        { omitGot: true },
      );
    }
  }
}

/** Checks the user metadata is an object. */
export function checkMd(plan: string, md: unknown): Metadata {
  if (md === undefined || md === null) return {};
  if (typeof md !== "object" || Array.isArray(md)) {
    throw new PlanValidationError(plan, "md", "an object of metadata", md);
  }
  return md as Metadata;
}

function isReadable(value: unknown): boolean {
  const v = value as { read?: unknown; name?: unknown } | null;
  return typeof v?.read === "function" && typeof v.name === "string";
}

/** A device's hinted fields (Bluesky's get_hinted_fields): `hints.fields`, else none. */
export function hintedFields(device: unknown): string[] | undefined {
  try {
    const fields = (device as { hints?: { fields?: unknown } } | null)?.hints?.fields;
    return Array.isArray(fields) ? (fields as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The names of devices, as start documents list them. */
export function names(devices: readonly unknown[]): string[] {
  return devices.map(nameOf);
}

/** The reprs of devices, as plan_args records them. */
export function reprs(devices: readonly unknown[]): string[] {
  return devices.map(repr);
}

/** `[[fields, "primary"]]` for each motor with hinted fields; undefined if one has none. */
export function dimensionsPerMotor(motors: readonly unknown[]): [string[], string][] | undefined {
  const dims: [string[], string][] = [];
  for (const motor of motors) {
    const fields = hintedFields(motor);
    if (fields === undefined) return undefined;
    dims.push([fields, "primary"]);
  }
  return dims;
}

/** A copy of the hints of `md` (an object), or a new empty one. */
export function hintsOf(md: Metadata): Record<string, unknown> {
  const hints = md["hints"];
  return typeof hints === "object" && hints !== null && !Array.isArray(hints)
    ? { ...(hints as Record<string, unknown>) }
    : {};
}

/** The arguments without trailing undefined ones (so positional counts stay right). */
export function withoutTrailingUndefined(args: readonly unknown[]): unknown[] {
  const out = [...args];
  while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
  return out;
}
