// check_limits: before running a plan, checks every move it would make against the limits of
// the device moved (devices that can say so: `checkValue`), without moving anything.
import { describeCause } from "../errors.ts";
import { objectName } from "../msg.ts";
import type { PlanLike } from "../plan.ts";
import { LimitViolation } from "./errors.ts";
import { type SimulateOptions, simulate } from "./simulate.ts";

/** Options of check_limits. */
export interface CheckLimitsOptions extends SimulateOptions {
  /** Told once per device that cannot check values (default console.warn). */
  warn?: (message: string) => void;
}

type Check = (value: unknown) => unknown;

function checkerOf(device: unknown): Check | undefined {
  const d = device as { checkValue?: unknown; check_value?: unknown } | null;
  const fn = d?.checkValue ?? d?.check_value;
  return typeof fn === "function" ? (value) => (fn as Check).call(device, value) : undefined;
}

/**
 * Simulates `plan` and checks each value it would set against the device's limits; rejects
 * with LimitViolation naming the device, the value and the limit at the first one outside.
 */
export async function check_limits(
  plan: PlanLike,
  options: CheckLimitsOptions = {},
): Promise<void> {
  const { warn = console.warn, ...simulateOptions } = options;
  const sets: { device: unknown; value: unknown; index: number }[] = [];
  simulate(plan, simulateOptions, (m, state) => {
    if (m.command === "set") sets.push({ device: m.obj, value: m.args[0], index: state.index });
  });
  const warned = new Set<unknown>();
  const checked = new Map<unknown, Set<unknown>>();
  for (const { device, value, index } of sets) {
    const check = checkerOf(device);
    if (!check) {
      if (!warned.has(device)) {
        warned.add(device);
        warn(
          `${objectName(device)} has no checkValue() to check if ${String(value)} is within its limits`,
        );
      }
      continue;
    }
    const seen = checked.get(device) ?? new Set();
    checked.set(device, seen);
    if (seen.has(value)) continue;
    seen.add(value);
    try {
      await check(value);
    } catch (err) {
      throw new LimitViolation(
        `check_limits: the plan would move ${objectName(device)} to ${String(value)} (message ${index + 1}): ${describeCause(err)}`,
        objectName(device),
        value,
        err,
      );
    }
  }
}
