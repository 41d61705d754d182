// An EPICS motor record as a device: reads and moves like the sim's SynAxis.
import {
  AsyncStatus,
  InvalidValueError,
  LimitError,
  type Location,
  type SetOptions,
  type SignalR,
  type SignalRW,
  type SignalX,
  StandardReadable,
  type StatusTaskContext,
  type StopOptions,
} from "@cerulean/devices";
import type { CaContext } from "../client/context.ts";
import { caSignalR, caSignalRW, caSignalX } from "../epics-signal.ts";

/** Options of the EPICS devices. */
export interface EpicsDeviceOptions {
  /** The client context; default the process-wide one. */
  context?: CaContext;
}

/**
 * A motor record (`<prefix>.VAL`, `.RBV`, `.DMOV`, `.STOP`, `.VELO`, `.ACCL`, `.HLM`, `.LLM`,
 * `.EGU`). Reads `{<name>: RBV (hinted), <name>_setpoint: VAL}`, configuration
 * `<name>_velocity`, `<name>_acceleration`, as SynAxis does. `set` writes VAL with a put
 * callback: the Status finishes when the record reports the move done.
 * @example const m = new EpicsMotor("SIM:motor", "motor"); await m.connect(); await m.set(1.5)
 */
export class EpicsMotor extends StandardReadable {
  readonly readback: SignalR<number>;
  readonly setpoint: SignalRW<number>;
  readonly velocity: SignalRW<number>;
  readonly acceleration: SignalRW<number>;
  readonly doneMoving: SignalR<number>;
  readonly stopMotor: SignalX;
  readonly highLimit: SignalR<number>;
  readonly lowLimit: SignalR<number>;
  readonly units: SignalR<string>;

  constructor(prefix: string, name = "", options: EpicsDeviceOptions = {}) {
    super(name);
    const ca = options.context ? { context: options.context } : {};
    this.readback = this.addChild("readback", caSignalR(`${prefix}.RBV`, ca), {
      kind: "hinted",
      nameAsParent: true,
    });
    this.setpoint = this.addChild("setpoint", caSignalRW(`${prefix}.VAL`, `${prefix}.VAL`, ca));
    this.velocity = this.addChild("velocity", caSignalRW(`${prefix}.VELO`, `${prefix}.VELO`, ca), {
      kind: "config",
    });
    const accl = caSignalRW(`${prefix}.ACCL`, `${prefix}.ACCL`, ca);
    this.acceleration = this.addChild("acceleration", accl, { kind: "config" });
    const omitted = { kind: "omitted" } as const;
    this.doneMoving = this.addChild("done_moving", caSignalR(`${prefix}.DMOV`, ca), omitted);
    this.stopMotor = this.addChild("stop", caSignalX(`${prefix}.STOP`, ca), omitted);
    this.highLimit = this.addChild("high_limit", caSignalR(`${prefix}.HLM`, ca), omitted);
    this.lowLimit = this.addChild("low_limit", caSignalR(`${prefix}.LLM`, ca), omitted);
    this.units = this.addChild("units", caSignalR<string>(`${prefix}.EGU`, ca), omitted);
  }

  /** Moves to `value`; fails at once with LimitError outside HLM/LLM (unless both are 0). */
  set(value: number, options: SetOptions = {}): AsyncStatus {
    return new AsyncStatus((context) => this.#move(value, options.wait ?? true, context), {
      operation: `${this.name} set(${value})`,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    });
  }

  /** Rejects with LimitError or InvalidValueError when `value` is not a position it can take. */
  async checkValue(value: number): Promise<void> {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new InvalidValueError(this.name, value, "a finite number");
    }
    const [high, low] = await Promise.all([this.highLimit.getValue(), this.lowLimit.getValue()]);
    if ((low !== 0 || high !== 0) && (value < low || value > high)) {
      throw new LimitError(this.name, value, { low, high });
    }
  }

  async #move(target: number, wait: boolean, { progress }: StatusTaskContext): Promise<void> {
    await this.checkValue(target);
    const initial = await this.readback.getValue();
    const unit = await this.units.getValue();
    const unsubscribe = this.readback.subscribeValue((current) => {
      const distance = Math.abs(target - initial);
      progress({
        name: this.name,
        current,
        initial,
        target,
        unit,
        fraction: distance === 0 ? 0 : Math.abs(target - current) / distance,
      });
    });
    try {
      await this.setpoint.set(target, { wait });
    } finally {
      unsubscribe();
    }
  }

  /** Presses STOP; a pending `set` then finishes where the motor stopped. */
  async stop(_options: StopOptions = {}): Promise<void> {
    await this.stopMotor.trigger({ wait: false });
  }

  async locate(): Promise<Location<number>> {
    const [setpoint, readback] = await Promise.all([
      this.setpoint.getValue(),
      this.readback.getValue(),
    ]);
    return { setpoint, readback };
  }
}
