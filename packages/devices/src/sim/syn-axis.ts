import { AsyncStatus, type StatusTaskContext } from "../core/async-status.ts";
import { DeviceStoppedError, InvalidValueError, LimitError } from "../core/errors.ts";
import type { SignalR } from "../core/signal.ts";
import type { SignalRW } from "../core/signal-rw.ts";
import { softSignalRAndSetter, softSignalRW } from "../core/soft-signal.ts";
import { StandardReadable } from "../core/standard-readable.ts";
import { sleep } from "../core/time.ts";
import type { Location, SetOptions } from "../protocols/movable.ts";
import type { StopOptions } from "../protocols/stoppable.ts";

/** Options of a SynAxis; all optional. */
export interface SynAxisOptions {
  /** Initial position (default 0). */
  value?: number;
  /** Readback for a position (default identity; jittery motors add uniform noise). */
  readbackFunc?: (position: number) => number;
  /** Seconds every move takes regardless of distance (ophyd's `delay`, default 0). */
  delay?: number;
  /** Units per second: moves then take |Δ|/velocity s (read from the velocity signal). */
  velocity?: number;
  /** Seconds between readback updates while moving (default 0.05). */
  updatePeriod?: number;
  /** Soft limits: moves outside [low, high] fail with LimitError. */
  limits?: { low: number; high: number };
  /** Readback updates per `delay` move (ophyd's events_per_move, default 1). */
  eventsPerMove?: number;
  precision?: number;
  /** Engineering units (default "mm"). */
  egu?: string;
}

/**
 * ophyd.sim's SynAxis: a simulated positioner. Reads as `{<name>: readback (hinted),
 * <name>_setpoint}`, configuration `<name>_velocity`, `<name>_acceleration`. A move sets the
 * setpoint at once, then the readback becomes `readbackFunc(target)`: instantly, after
 * `delay`, or travelling at `velocity` with progress reported to status watchers.
 */
export class SynAxis extends StandardReadable {
  readonly readback: SignalR<number>;
  readonly setpoint: SignalRW<number>;
  readonly velocity: SignalRW<number>;
  readonly acceleration: SignalRW<number>;
  readonly unused: SignalRW<number>;
  readonly limits: { low: number; high: number } | undefined;
  readonly #options: SynAxisOptions;
  readonly #setReadback: (value: number) => void;
  #position: number;
  #stopMove: ((success: boolean) => void) | undefined;

  constructor(name = "", options: SynAxisOptions = {}) {
    super(name);
    this.#options = options;
    const { value = 0, precision = 3, egu = "mm", limits } = options;
    this.limits = limits;
    const meta = { precision, units: egu, ...(limits ? { limits: { control: limits } } : {}) };
    this.#position = this.#readbackOf(value);
    const [readback, setReadback] = softSignalRAndSetter(this.#position, "", meta);
    this.#setReadback = setReadback;
    this.readback = this.addChild("readback", readback, { kind: "hinted", nameAsParent: true });
    this.setpoint = this.addChild("setpoint", softSignalRW(value, "", meta));
    const velocity = options.velocity ?? 1;
    this.velocity = this.addChild("velocity", softSignalRW(velocity), { kind: "config" });
    this.acceleration = this.addChild("acceleration", softSignalRW(1), { kind: "config" });
    this.unused = this.addChild("unused", softSignalRW(1), { kind: "omitted" });
  }

  /** The last readback the simulation produced. */
  get position(): number {
    return this.#position;
  }

  /**
   * Moves to `value`, replacing a move in progress; fails at once with LimitError outside the
   * limits (a move in progress then goes on).
   */
  set(value: number, options: SetOptions = {}): AsyncStatus {
    const statusOptions = {
      operation: `${this.name} set(${value})`,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    };
    if (this.#valueError(value)) {
      return new AsyncStatus(() => this.checkValue(value), statusOptions);
    }
    // Installed before returning: a stop() right after set() must reach this move.
    this.#stopMove?.(false);
    const stopper = new AbortController();
    let stoppedOk = false;
    const stopThis = (success: boolean): void => {
      stoppedOk = success;
      stopper.abort(new DeviceStoppedError(statusOptions.operation, "by stop()"));
    };
    this.#stopMove = stopThis;
    return new AsyncStatus(async (context) => {
      try {
        await this.checkValue(value);
        await this.#move(value, stopper.signal, context);
      } catch (error) {
        // Timeouts and cancellation: the Status has already failed with its own error.
        if (!stopper.signal.aborted) throw error;
        if (!stoppedOk) {
          throw new DeviceStoppedError(statusOptions.operation, `at ${this.#position}`);
        }
      } finally {
        if (this.#stopMove === stopThis) this.#stopMove = undefined;
      }
    }, statusOptions);
  }

  async locate(): Promise<Location<number>> {
    const [setpoint, readback] = await Promise.all([
      this.setpoint.getValue(),
      this.readback.getValue(),
    ]);
    return { setpoint, readback };
  }

  /** Rejects with LimitError (naming the limit) or InvalidValueError if `value` is not allowed. */
  async checkValue(value: number): Promise<void> {
    const error = this.#valueError(value);
    if (error) throw error;
  }

  /**
   * Stops a move where it is, the setpoint following the readback (as a motor record does);
   * its Status succeeds if `success` (default), else fails.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    const stopMove = this.#stopMove;
    if (!stopMove) return;
    this.#stopMove = undefined;
    stopMove(options.success ?? true);
    await this.setpoint.backend.put(this.#position, true);
  }

  #valueError(value: number): InvalidValueError | LimitError | undefined {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return new InvalidValueError(this.name, value, "a finite number");
    }
    const { limits } = this;
    // As in ophyd, limits apply only when low < high: equal limits mean none.
    if (limits && limits.low < limits.high && (value < limits.low || value > limits.high)) {
      return new LimitError(this.name, value, limits);
    }
    return undefined;
  }

  async #move(target: number, stopped: AbortSignal, context: StatusTaskContext): Promise<void> {
    // Stopped before the task started: the setpoint must not move afterwards.
    stopped.throwIfAborted();
    // Straight to the backend: a Status (and its timer) per setpoint write costs more than the move.
    await this.setpoint.backend.put(target, true);
    stopped.throwIfAborted();
    await this.#travel(target, () => AbortSignal.any([context.signal, stopped]), context.progress);
  }

  async #travel(
    target: number,
    abortSignal: () => AbortSignal,
    progress: StatusTaskContext["progress"],
  ): Promise<void> {
    const initial = this.#position;
    const distance = target - initial;
    const { delay = 0, updatePeriod = 0.05 } = this.#options;
    const speed = this.#options.velocity === undefined ? 0 : await this.velocity.getValue();
    const duration = speed > 0 ? Math.abs(distance) / speed : delay;
    const steps =
      speed > 0
        ? Math.max(1, Math.ceil(duration / updatePeriod))
        : Math.max(1, this.#options.eventsPerMove ?? 1);
    const report = (current: number, elapsed: number): void => {
      progress({
        name: this.name,
        current,
        initial,
        target,
        unit: this.#options.egu ?? "mm",
        precision: this.#options.precision ?? 3,
        fraction: distance === 0 ? 0 : Math.abs(target - current) / Math.abs(distance),
        timeElapsed: elapsed,
        timeRemaining: Math.max(0, duration - elapsed),
      });
    };
    report(initial, 0);
    const abort = duration > 0 ? abortSignal() : undefined;
    for (let i = 1; i <= steps; i++) {
      if (duration > 0) await sleep(duration / steps, abort);
      const along = i === steps ? target : initial + (distance * i) / steps;
      this.#position = this.#readbackOf(along);
      this.#setReadback(this.#position);
      report(this.#position, (duration * i) / steps);
    }
  }

  #readbackOf(position: number): number {
    return this.#options.readbackFunc ? this.#options.readbackFunc(position) : position;
  }
}
