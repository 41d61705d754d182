// Plan stubs for readings: read, trigger, trigger_and_read, locate, rd, configure.
import type { Location, Readings, Status } from "@cerulean/devices/protocols";
import { PlanArgumentError } from "../errors.ts";
import { type Group, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { rewindable_wrapper } from "../preprocessors/rewindable.ts";
import { separate_devices } from "../utils/devices.ts";
import { shortUid } from "../utils/short-uid.ts";
import { wait } from "./control.ts";

/** Reads `obj` (into the open event bundle, if any); returns its readings. */
export function* read(obj: unknown): Plan<Readings> {
  return (yield msg("read", obj)) as Readings;
}

/** Triggers `obj` (adding the status to `group`); with `wait`, waits for it. Returns the Status. */
export function* trigger(
  obj: unknown,
  options: { group?: Group; wait?: boolean } = {},
): Plan<Status> {
  let group = options.group;
  if (options.wait && group === undefined) group = shortUid("trigger");
  const status = (yield msg("trigger", obj, {
    kwargs: group === undefined ? {} : { group },
  })) as Status;
  if (options.wait) yield* wait(group);
  return status;
}

/**
 * Triggers the devices, waits, and reads them into one event of stream `name`; returns the
 * merged readings. When a read fails the bundle is dropped and the error rethrown. Not replayed
 * after a pause if a device says it is unsafe to re-trigger (`rewindable: false`).
 */
export function trigger_and_read(devices: Iterable<unknown>, name = "primary"): Plan<Readings> {
  const list = separate_devices(devices);
  const rewindable = list.every((d) => (d as { rewindable?: unknown }).rewindable !== false);
  const body = triggerAndRead(list, name);
  return rewindable ? body : (rewindable_wrapper(body, false) as Plan<Readings>);
}

// Written out rather than composed from contingency_wrapper: it runs once per point of every
// step scan, and each level of plan nesting costs every message passing through it.
function* triggerAndRead(list: readonly unknown[], name: string): Plan<Readings> {
  const group = shortUid("trigger");
  let triggered = false;
  for (const obj of list) {
    if (typeof (obj as { trigger?: unknown }).trigger === "function") {
      triggered = true;
      yield { command: "trigger", obj, args: [], kwargs: { group } };
    }
  }
  if (triggered) yield { command: "wait", obj: null, args: [], kwargs: { group } };
  yield { command: "create", obj: null, args: [], kwargs: { name } };
  const merged: Readings = {};
  try {
    for (const obj of list)
      Object.assign(merged, yield { command: "read", obj, args: [], kwargs: {} });
  } catch (err) {
    yield { command: "drop", obj: null, args: [], kwargs: {} };
    throw err;
  }
  yield { command: "save", obj: null, args: [], kwargs: {} };
  return merged;
}

/** Where Locatable objects are: one location, or a list (several objects or squeeze false). */
export function* locate(...args: unknown[]): Plan<Location | Location[]> {
  let squeeze = true;
  const last = args[args.length - 1];
  if (args.length > 1 && isOptions(last)) {
    squeeze = (last as { squeeze?: boolean }).squeeze ?? true;
    args = args.slice(0, -1);
  }
  const [first, ...rest] = args;
  return (yield msg("locate", first, { args: rest, kwargs: { squeeze } })) as Location | Location[];
}

/**
 * The current value of `obj`: its readback when Locatable, else its single hinted (or only)
 * read value; `default_value` when it has no value at all.
 */
export function* rd(obj: unknown, options: { default_value?: unknown } = {}): Plan<unknown> {
  if (typeof (obj as { locate?: unknown }).locate === "function") {
    const location = (yield* locate(obj)) as Location;
    return location.readback;
  }
  const reading = yield* read(obj);
  const keys = Object.keys(reading ?? {});
  if (keys.length === 0) return options.default_value ?? 0;
  const hinted = (obj as { hints?: { fields?: string[] } }).hints?.fields ?? [];
  const key = hinted.length === 1 ? hinted[0] : keys.length === 1 ? keys[0] : undefined;
  if (key === undefined) {
    throw new PlanArgumentError(
      `rd: cannot tell which value of "${(obj as { name?: string }).name}" to use; it reads ${keys.join(", ")} and hints ${hinted.join(", ") || "none"}`,
    );
  }
  return reading[key]?.value;
}

/** Reconfigures `obj`; returns `[old, new]`. */
export function* configure(obj: unknown, ...args: unknown[]): Plan<unknown> {
  return yield msg("configure", obj, { args });
}

function isOptions(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}
