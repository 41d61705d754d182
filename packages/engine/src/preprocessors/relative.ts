// relative_set_wrapper and reset_positions_wrapper: what makes rel_scan relative and puts the
// motors back where they were, also after a failure, stop or abort (not after a halt).
import { PlanArgumentError } from "../errors.ts";
import { type Msg, msg, objectName } from "../msg.ts";
import { type Plan, type PlanLike, singleMessage } from "../plan.ts";
import { shortUid } from "../utils/short-uid.ts";
import { finalize_wrapper } from "./finalize.ts";
import { make_decorator } from "./make-decorator.ts";
import { msg_mutator, pchain } from "./msg-mutator.ts";
import { type MutatorResult, plan_mutator } from "./plan-mutator.ts";

function hasMethod(obj: unknown, name: string): boolean {
  return typeof (obj as Record<string, unknown> | null)?.[name] === "function";
}

/**
 * Records where `obj` is: its setpoint when Locatable, else its `position`, else its single
 * hinted (or first) read value.
 */
function* readAndStash(obj: unknown, positions: Map<unknown, unknown>): Plan<void> {
  if (hasMethod(obj, "locate")) {
    const location = (yield msg("locate", obj)) as { setpoint?: unknown } | null | undefined;
    positions.set(obj, location?.setpoint ?? 0);
    return;
  }
  const position = (obj as { position?: unknown }).position;
  if (position !== undefined) {
    positions.set(obj, position);
    return;
  }
  const reading = (yield msg("read", obj)) as Record<string, { value: unknown }> | undefined;
  if (!reading) {
    positions.set(obj, 0);
    return;
  }
  const hinted = (obj as { hints?: { fields?: string[] } }).hints?.fields ?? [];
  if (hinted.length > 1) {
    throw new PlanArgumentError(
      `cannot tell where "${objectName(obj)}" is: it hints ${hinted.length} fields (${hinted.join(", ")}); make it Locatable or hint one field`,
    );
  }
  const key = hinted[0] ?? Object.keys(reading)[0];
  positions.set(obj, key === undefined ? 0 : reading[key]?.value);
}

/** Inserts a stash of each eligible device's position before its first set. */
function stashBeforeFirstSet(
  plan: PlanLike,
  devices: readonly unknown[] | null | undefined,
  positions: Map<unknown, unknown>,
): Plan<unknown> {
  const eligible = devices ? new Set(devices) : null;
  return plan_mutator(plan, (m): MutatorResult => {
    if (m.command !== "set" || positions.has(m.obj)) return null;
    if (eligible && !eligible.has(m.obj)) return null;
    return [pchain(readAndStash(m.obj, positions), singleMessage(m)), null];
  });
}

/**
 * Runs `plan` with the values of its `set` messages taken as offsets from where each device
 * was before its first set (all moved devices, or only `devices`).
 */
export function* relative_set_wrapper<T>(
  plan: PlanLike<T>,
  devices?: readonly unknown[] | null,
): Plan<T | undefined> {
  const initial = new Map<unknown, unknown>();
  const rewrite = (m: Msg): Msg => {
    if (m.command !== "set" || !initial.has(m.obj)) return m;
    const [relative, ...rest] = m.args;
    const origin = initial.get(m.obj);
    if (typeof relative !== "number" || typeof origin !== "number") {
      throw new PlanArgumentError(
        `a relative move of "${objectName(m.obj)}" needs numbers; got position ${String(origin)} and offset ${String(relative)}`,
      );
    }
    return { ...m, args: [origin + relative, ...rest] };
  };
  return (yield* msg_mutator(stashBeforeFirstSet(plan, devices, initial), rewrite)) as
    | T
    | undefined;
}

/**
 * Runs `plan`, then moves every device it set (all, or only `devices`) back to where it was
 * before its first set, and waits: on success, failure, stop and abort (not on halt).
 */
export function* reset_positions_wrapper<T>(
  plan: PlanLike<T>,
  devices?: readonly unknown[] | null,
): Plan<T | undefined> {
  const initial = new Map<unknown, unknown>();
  function* reset(): Plan<void> {
    if (initial.size === 0) return;
    const group = `reset-${shortUid()}`;
    for (const [obj, position] of initial) {
      yield msg("set", obj, { args: [position], kwargs: { group } });
    }
    yield msg("wait", null, { kwargs: { group } });
  }
  return (yield* finalize_wrapper(stashBeforeFirstSet(plan, devices, initial), reset)) as
    | T
    | undefined;
}

/** Decorator form of relative_set_wrapper. */
export const relative_set_decorator = make_decorator(relative_set_wrapper);
/** Decorator form of reset_positions_wrapper. */
export const reset_positions_decorator = make_decorator(reset_positions_wrapper);
