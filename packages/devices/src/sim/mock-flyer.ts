import type { PartialEvent, PartialEventPage } from "@cerulean/event-model";
import { AsyncStatus } from "../core/async-status.ts";
import { DeviceStateError, DeviceStoppedError, toError } from "../core/errors.ts";
import { isStoppable } from "../core/guards.ts";
import { failedStatus } from "../core/status.ts";
import { now, sleep } from "../core/time.ts";
import type { HasName } from "../protocols/has-name.ts";
import type { Movable } from "../protocols/movable.ts";
import type { Readable } from "../protocols/readable.ts";
import type { DataKeys, Readings } from "../protocols/reading.ts";
import type { Status } from "../protocols/status.ts";
import type { StopOptions } from "../protocols/stoppable.ts";
import type { Triggerable } from "../protocols/triggerable.ts";

/** Options of a MockFlyer. */
export interface MockFlyerOptions {
  /** Seconds between kickoff and the first point (default 0.1, as ophyd.sim). */
  startDelay?: number;
}

/** `num` evenly spaced points from `start` to `stop` inclusive (numpy's linspace). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  return Array.from({ length: num }, (_, i) => start + ((stop - start) * i) / (num - 1));
}

/**
 * ophyd.sim's MockFlyer: a fly scan done with a stepper. `kickoff` starts a background run
 * over `linspace(start, stop, num)`: at each point move the motor, trigger the detector,
 * record one event of both readings. `complete` finishes when the run ends; `collect`
 * yields (and forgets) the recorded events, `collectPages` the same as one page.
 * `describeCollect` is `{<name>: motor and detector DataKeys}`. Pausable between points.
 */
export class MockFlyer implements HasName {
  readonly name: string;
  parent: HasName | undefined;
  readonly positions: number[];
  readonly #detector: Readable & Triggerable;
  readonly #motor: Readable & Movable<number>;
  readonly #options: MockFlyerOptions;
  #events: PartialEvent[] = [];
  #completion: AsyncStatus | undefined;
  #stopRequest: "success" | "failure" | undefined;
  #paused: { promise: Promise<void>; release: () => void } | undefined;
  // The point loop can outlive a cancelled completion by one motor move: no second loop meanwhile.
  #flying = false;

  constructor(
    name: string,
    detector: Readable & Triggerable,
    motor: Readable & Movable<number>,
    [start, stop, num]: [number, number, number],
    options: MockFlyerOptions = {},
  ) {
    this.name = name;
    this.#detector = detector;
    this.#motor = motor;
    this.positions = linspace(start, stop, num);
    this.#options = options;
  }

  /** Starts the run; fails if the previous one is still going. Done at once. */
  kickoff(): Status {
    const operation = `${this.name} kickoff()`;
    if (this.#flying || (this.#completion && !this.#completion.done)) {
      return failedStatus(new DeviceStateError(this.name, "kickoff", "still flying"), operation);
    }
    this.#events = [];
    this.#stopRequest = undefined;
    this.#completion = new AsyncStatus(({ signal }) => this.#scan(signal), {
      operation: `${this.name} fly`,
    });
    return new AsyncStatus(async () => {}, { operation });
  }

  /** Done when the run is over; fails if never kicked off. */
  complete(): Status {
    return (
      this.#completion ??
      failedStatus(
        new DeviceStateError(this.name, "complete", "no collection in progress"),
        `${this.name} complete()`,
      )
    );
  }

  async describeCollect(): Promise<Record<string, DataKeys>> {
    const [motor, detector] = await Promise.all([
      this.#motor.describe(),
      this.#detector.describe(),
    ]);
    return { [this.name]: { ...motor, ...detector } };
  }

  /** The events recorded since the last collection. */
  *collect(): Generator<PartialEvent> {
    const events = this.#events;
    this.#events = [];
    yield* events;
  }

  /** The same events as one page (nothing when there are none). */
  *collectPages(): Generator<PartialEventPage> {
    const events = [...this.collect()];
    if (events.length === 0) return;
    const page: PartialEventPage = { data: {}, timestamps: {}, time: events.map((e) => e.time) };
    for (const key of Object.keys(events[0]?.data ?? {})) {
      page.data[key] = events.map((e) => e.data[key]);
      page.timestamps[key] = events.map((e) => e.timestamps[key]);
    }
    yield page;
  }

  async readConfiguration(): Promise<Readings> {
    return {};
  }

  async describeConfiguration(): Promise<DataKeys> {
    return {};
  }

  /** Ends the run after the current point; `complete` fails if `success` is false. */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#completion && !this.#completion.done) {
      this.#stopRequest = (options.success ?? true) ? "success" : "failure";
      this.#paused?.release();
    }
  }

  /** Holds the run before its next point. */
  async pause(): Promise<void> {
    if (this.#paused) return;
    let release = (): void => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#paused = { promise, release };
  }

  /** Lets a paused run go on. */
  async resume(): Promise<void> {
    const paused = this.#paused;
    this.#paused = undefined;
    paused?.release();
  }

  async #scan(signal: AbortSignal): Promise<void> {
    this.#flying = true;
    try {
      await this.#fly(signal);
    } finally {
      this.#flying = false;
    }
  }

  /** The point loop; a timeout or cancel of `complete` (the signal) ends it and stops the motor. */
  async #fly(signal: AbortSignal): Promise<void> {
    await sleep(this.#options.startDelay ?? 0.1, signal);
    const aborted = new Promise<void>((resolve) => {
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    for (const [i, position] of this.positions.entries()) {
      if (this.#paused) await Promise.race([this.#paused.promise, aborted]);
      signal.throwIfAborted();
      if (this.#stopRequest === "success") return;
      if (this.#stopRequest === "failure") {
        throw new DeviceStoppedError(`${this.name} fly`, `after ${i} points`);
      }
      await this.#moveTo(position, signal);
      signal.throwIfAborted();
      await this.#detector.trigger();
      const readings = [await this.#motor.read(), await this.#detector.read()];
      const event: PartialEvent = { time: now(), data: {}, timestamps: {} };
      for (const [key, reading] of readings.flatMap((r) => Object.entries(r))) {
        event.data[key] = reading.value;
        event.timestamps[key] = reading.timestamp;
      }
      this.#events.push(event);
    }
  }

  async #moveTo(position: number, signal: AbortSignal): Promise<void> {
    const motor = this.#motor;
    const stopMotor = (): void => {
      if (!isStoppable(motor)) return;
      motor.stop({ success: false }).catch((error: unknown) => {
        process.emitWarning(
          `${this.name} could not stop its motor: ${toError(error).message}`,
          "DeviceStopWarning",
        );
      });
    };
    signal.addEventListener("abort", stopMotor, { once: true });
    try {
      await motor.set(position);
    } finally {
      signal.removeEventListener("abort", stopMotor);
    }
  }
}
