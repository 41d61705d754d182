// The inner loops of count and the step scans (Bluesky's one_shot, one_1d_step, move_per_step,
// one_nd_step): building blocks for custom per_shot / per_step functions.
import type { Readings } from "@cerulean/devices/protocols";
import { msg } from "../msg.ts";
import { ensureGenerator, type Plan, type PlanLike } from "../plan.ts";
import { shortUid } from "../utils/short-uid.ts";
import { trigger_and_read } from "./readings.ts";

/** Takes one reading of `devices` (default trigger_and_read); the readings are returned. */
export type TakeReading = (devices: readonly unknown[], name?: string) => PlanLike<unknown>;

/** One point of an N-dimensional scan: each motor to its position. */
export type StepPositions = ReadonlyMap<unknown, unknown>;

/** The last position each motor was set to, shared by the steps of one scan. */
export type PositionCache = Map<unknown, unknown>;

/** Count's inner loop: a checkpoint, then one reading of the detectors. */
export function* one_shot(
  detectors: readonly unknown[],
  take_reading: TakeReading = trigger_and_read,
): Plan<unknown> {
  yield msg("checkpoint");
  return yield* ensureGenerator(take_reading([...detectors]));
}

/** A 1-D scan's inner loop: checkpoint, move `motor` to `step` and wait, read detectors + motor. */
export function* one_1d_step(
  detectors: readonly unknown[],
  motor: unknown,
  step: unknown,
  take_reading: TakeReading = trigger_and_read,
): Plan<Readings> {
  const group = shortUid("set");
  yield msg("checkpoint");
  yield msg("set", motor, { args: [step], kwargs: { group } });
  yield msg("wait", null, { kwargs: { group } });
  return (yield* ensureGenerator(take_reading([...detectors, motor]))) as Readings;
}

/** Checkpoint, then move the motors whose position changed since the last step, and wait. */
export function* move_per_step(step: StepPositions, pos_cache: PositionCache): Plan<void> {
  yield msg("checkpoint");
  const group = shortUid("set");
  for (const [motor, position] of step) {
    if (pos_cache.has(motor) && pos_cache.get(motor) === position) continue;
    yield msg("set", motor, { args: [position], kwargs: { group } });
    pos_cache.set(motor, position);
  }
  yield msg("wait", null, { kwargs: { group } });
}

/** An N-D scan's inner loop: move_per_step, then read the detectors and the motors. */
export function* one_nd_step(
  detectors: readonly unknown[],
  step: StepPositions,
  pos_cache: PositionCache,
  take_reading: TakeReading = trigger_and_read,
): Plan<unknown> {
  yield* move_per_step(step, pos_cache);
  return yield* ensureGenerator(take_reading([...detectors, ...step.keys()]));
}
