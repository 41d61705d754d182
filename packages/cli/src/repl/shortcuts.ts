// SPEC-style shortcuts beamline users expect: wa, mv, mvr, ct, cen, com, peak, goto_cen.
import { inspect } from "node:util";
import type { LastRunPeak } from "@cerulean/callbacks";
import type { PlanLike } from "@cerulean/engine";
import { type CallableEngine, markEngineCall } from "./callable-engine.ts";

type Stubs = {
  mv: (...args: unknown[]) => PlanLike;
  mvr: (...args: unknown[]) => PlanLike;
};

export interface ShortcutContext {
  RE: CallableEngine;
  devices: Record<string, unknown>;
  /** Device names ct() counts (default: readable, non-movable devices with hinted fields). */
  detectors?: string[];
  lastRun: LastRunPeak;
  bps: Stubs;
  print: (line: string) => void;
}

/** Values by name that the REPL shows as a two-column table. */
export type ValueTable<T> = Record<string, T>;

export interface Shortcuts {
  /** Where all: the positions of every motor. */
  wa(): Promise<ValueTable<number>>;
  /** Moves motors to absolute positions (`mv(m1, 1, m2, 2)`) and prints where they ended. */
  mv(...args: unknown[]): Promise<void>;
  /** Moves motors relative to where they are. */
  mvr(...args: unknown[]): Promise<void>;
  /** Triggers and reads the detectors once, outside any run. */
  ct(): Promise<ValueTable<unknown>>;
  /** Peak statistics of the last good run. */
  cen(): number;
  com(): number;
  peak(): number;
  /** Moves the last run's scanned motor to its centre. */
  goto_cen(): Promise<void>;
}

type Fn = (...args: unknown[]) => unknown;
const method = (obj: unknown, name: string): Fn | undefined => {
  const value = (obj as Record<string, unknown> | null)?.[name];
  return typeof value === "function" ? (value as Fn).bind(obj) : undefined;
};

/** Devices that move, read and stop without a trigger (motors, not soft signals), by name. */
export function motorsOf(devices: Record<string, unknown>): [string, unknown][] {
  return Object.entries(devices).filter(
    ([, d]) => method(d, "set") && method(d, "read") && method(d, "stop") && !method(d, "trigger"),
  );
}

/** Devices ct() counts when the profile names none: readable, not movable, with hints. */
export function detectorsOf(devices: Record<string, unknown>): [string, unknown][] {
  return Object.entries(devices).filter(
    ([, d]) =>
      method(d, "read") &&
      method(d, "trigger") &&
      !method(d, "set") &&
      !method(d, "kickoff") &&
      ((d as { hints?: { fields?: string[] } }).hints?.fields?.length ?? 0) > 0,
  );
}

function formatValue(value: unknown): string {
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, "");
}

/** The lines of a two-column table of names and values. */
export function formatValueTable(title: string, rows: [string, unknown][]): string {
  const width = Math.max(4, ...rows.map(([name]) => name.length));
  return [
    title,
    ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${formatValue(value)}`),
  ].join("\n");
}

/** A plain record that the REPL (util.inspect) shows as a table under `title`. */
function valueTable<T>(title: string, values: ValueTable<T>): ValueTable<T> {
  Object.defineProperty(values, inspect.custom, {
    value: () => formatValueTable(title, Object.entries(values)),
    enumerable: false,
  });
  return values;
}

/** The hinted values of a device's reading (or all of them when it has no hints). */
async function hintedValues(device: unknown): Promise<Record<string, unknown>> {
  const read = method(device, "read");
  if (!read) throw new Error(`${String(device)} cannot be read`);
  const reading = (await read()) as Record<string, { value: unknown }>;
  const fields = (device as { hints?: { fields?: string[] } }).hints?.fields ?? [];
  const out: Record<string, unknown> = {};
  for (const [key, r] of Object.entries(reading)) {
    if (fields.length === 0 || fields.includes(key)) out[key] = r.value;
  }
  return out;
}

/** Builds the shortcuts over a session's devices and callable RunEngine. */
export function makeShortcuts(ctx: ShortcutContext): Shortcuts {
  const { RE, devices, lastRun, bps, print } = ctx;
  const wa = async (): Promise<ValueTable<number>> => {
    const positions: ValueTable<number> = {};
    for (const [name, motor] of motorsOf(devices)) {
      const value = Object.values(await hintedValues(motor))[0];
      if (typeof value === "number") positions[name] = value;
    }
    return valueTable("Current positions:", positions);
  };
  const move = async (stub: (...a: unknown[]) => PlanLike, args: unknown[]): Promise<void> => {
    if (args.length === 0 || args.length % 2 !== 0) {
      throw new Error(
        `mv/mvr take motor, position pairs, e.g. mv(motor, 1); got ${args.length} arguments`,
      );
    }
    await RE(stub(...args));
    if (RE.state !== "idle") return;
    const moved: [string, unknown][] = [];
    for (let i = 0; i < args.length; i += 2) {
      const device = args[i];
      const name = (device as { name?: string }).name ?? String(i / 2);
      moved.push([name, Object.values(await hintedValues(device))[0]]);
    }
    print(formatValueTable("Moved to:", moved));
  };
  const detectorEntries = (): [string, unknown][] =>
    ctx.detectors ? ctx.detectors.map((n) => [n, devices[n]]) : detectorsOf(devices);
  const ct = async (): Promise<ValueTable<unknown>> => {
    if (RE.state !== "idle") {
      throw new Error(`the RunEngine is ${RE.state}; ct() counts only when it is idle`);
    }
    const counts: ValueTable<unknown> = {};
    for (const [, detector] of detectorEntries()) {
      await (method(detector, "trigger") as () => PromiseLike<unknown>)();
      Object.assign(counts, await hintedValues(detector));
    }
    return valueTable("Counts:", counts);
  };
  const goto_cen = async (): Promise<void> => {
    const target = lastRun.cen();
    const field = lastRun.result?.x ?? "";
    const motor = motorsOf(devices).find(
      ([name, d]) => name === field || (d as { name?: string }).name === field,
    )?.[1];
    if (motor === undefined) {
      throw new Error(`goto_cen: no motor of this profile reads "${field}", the last run's x`);
    }
    print(`Moving ${field} to the centre, ${formatValue(target)}`);
    await move(bps.mv, [motor, target]);
  };
  // Marked so that `mv(motor, 1)` typed without `await` still finishes before the next prompt.
  return {
    wa: () => markEngineCall(wa()),
    mv: (...args) => markEngineCall(move(bps.mv, args)),
    mvr: (...args) => markEngineCall(move(bps.mvr, args)),
    ct: () => markEngineCall(ct()),
    cen: () => lastRun.cen(),
    com: () => lastRun.com(),
    peak: () => lastRun.peak(),
    goto_cen: () => markEngineCall(goto_cen()),
  };
}
