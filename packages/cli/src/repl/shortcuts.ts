// SPEC-style shortcuts beamline users expect: wa, mv, mvr, ct, cen, com, peak, goto_cen.
import type { LastRunPeak } from "@cerulean/callbacks";
import type { PlanLike } from "@cerulean/engine";
import type { CallableEngine, CallOutcome } from "./callable-engine.ts";

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

export interface Shortcuts {
  wa(): Promise<Record<string, number>>;
  mv(...args: unknown[]): Promise<CallOutcome>;
  mvr(...args: unknown[]): Promise<CallOutcome>;
  ct(): Promise<Record<string, unknown>>;
  cen(): number;
  com(): number;
  peak(): number;
  goto_cen(): Promise<CallOutcome>;
}

type Fn = (...args: unknown[]) => unknown;
const method = (obj: unknown, name: string): Fn | undefined => {
  const value = (obj as Record<string, unknown> | null)?.[name];
  return typeof value === "function" ? (value as Fn).bind(obj) : undefined;
};

/** Devices that can be moved and read (motors), by name. */
export function motorsOf(devices: Record<string, unknown>): [string, unknown][] {
  return Object.entries(devices).filter(
    ([, d]) => method(d, "set") && method(d, "read") && !method(d, "trigger"),
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
  return typeof value === "number" ? value.toPrecision(6).replace(/\.?0+$/, "") : String(value);
}

/** The hinted values of a device's reading (or all of them when it has no hints). */
async function hintedValues(device: unknown): Promise<Record<string, unknown>> {
  const reading = (await (method(device, "read") as () => Promise<unknown>)()) as Record<
    string,
    { value: unknown }
  >;
  const fields = (device as { hints?: { fields?: string[] } }).hints?.fields ?? [];
  const out: Record<string, unknown> = {};
  for (const [key, r] of Object.entries(reading)) {
    if (fields.length === 0 || fields.includes(key)) out[key] = r.value;
  }
  return out;
}

function printTable(rows: [string, unknown][], print: (line: string) => void): void {
  const width = Math.max(4, ...rows.map(([name]) => name.length));
  for (const [name, value] of rows) print(`  ${name.padEnd(width)}  ${formatValue(value)}`);
}

/** Builds the shortcuts over a session's devices and callable RunEngine. */
export function makeShortcuts(ctx: ShortcutContext): Shortcuts {
  const { RE, devices, lastRun, bps, print } = ctx;
  const wa = async (): Promise<Record<string, number>> => {
    const positions: Record<string, number> = {};
    for (const [name, motor] of motorsOf(devices)) {
      const values = await hintedValues(motor);
      const value = Object.values(values)[0];
      if (typeof value === "number") positions[name] = value;
    }
    print("Current positions:");
    printTable(Object.entries(positions), print);
    return positions;
  };
  const reportMoved = async (args: unknown[]) => {
    const moved: [string, unknown][] = [];
    for (let i = 0; i < args.length; i += 2) {
      const device = args[i];
      const name = (device as { name?: string }).name ?? String(i / 2);
      moved.push([name, Object.values(await hintedValues(device))[0]]);
    }
    printTable(moved, print);
  };
  const move = async (stub: (...a: unknown[]) => PlanLike, args: unknown[]) => {
    const outcome = await RE(stub(...args));
    if (RE.state === "idle") await reportMoved(args);
    return outcome;
  };
  const detectorEntries = (): [string, unknown][] =>
    ctx.detectors ? ctx.detectors.map((n) => [n, devices[n]]) : detectorsOf(devices);
  const ct = async (): Promise<Record<string, unknown>> => {
    if (RE.state !== "idle") {
      throw new Error(`the RunEngine is ${RE.state}; ct() counts only when it is idle`);
    }
    const counts: Record<string, unknown> = {};
    for (const [, detector] of detectorEntries()) {
      await (method(detector, "trigger") as () => PromiseLike<unknown>)();
      Object.assign(counts, await hintedValues(detector));
    }
    printTable(Object.entries(counts), print);
    return counts;
  };
  const goto_cen = async (): Promise<CallOutcome> => {
    const target = lastRun.cen();
    const field = lastRun.result?.x ?? "";
    const motor = motorsOf(devices).find(
      ([name, d]) => name === field || (d as { name?: string }).name === field,
    )?.[1];
    if (motor === undefined) {
      throw new Error(`goto_cen: no motor of this profile reads "${field}", the last run's x`);
    }
    print(`Moving ${field} to the centre, ${formatValue(target)}`);
    return move(bps.mv, [motor, target]);
  };
  return {
    wa,
    mv: (...args) => move(bps.mv, args),
    mvr: (...args) => move(bps.mvr, args),
    ct,
    cen: () => lastRun.cen(),
    com: () => lastRun.com(),
    peak: () => lastRun.peak(),
    goto_cen,
  };
}
