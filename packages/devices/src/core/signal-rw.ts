import type { Location, SetOptions } from "../protocols/movable.ts";
import { AsyncStatus } from "./async-status.ts";
import { formatValue, InvalidValueError } from "./errors.ts";
import { DEFAULT_TIMEOUT, type Signal, Signal as SignalBase, SignalR } from "./signal.ts";

function putStatus<T>(signal: Signal<T>, value: T | undefined, options: SetOptions): AsyncStatus {
  const shown = value === undefined ? "" : formatValue(value);
  const put = async (): Promise<void> => {
    try {
      await signal.backend.put(value, options.wait ?? true);
    } catch (error) {
      // Backends do not know the signal's name; put it in the message.
      if (error instanceof InvalidValueError && !error.device) {
        throw new InvalidValueError(signal.name, error.value, error.expected);
      }
      throw error;
    }
  };
  return new AsyncStatus(put, {
    operation: `${signal.name} ${value === undefined ? "trigger" : "set"}(${shown})`,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
  });
}

/** A signal that can be written, read and monitored (a setpoint, a gain). */
export class SignalRW<T> extends SignalR<T> {
  /** Writes `value`; the Status is done when the write completed (timeout 10 s by default). */
  set(value: T, options: SetOptions = {}): AsyncStatus {
    return putStatus(this, value, options);
  }

  /** The last value written and the current value. */
  async locate(): Promise<Location<T>> {
    const [setpoint, readback] = await Promise.all([
      this.backend.getSetpoint(),
      this.backend.getValue(),
    ]);
    return { setpoint, readback };
  }
}

/** A signal that can only be written (a command). */
export class SignalW<T> extends SignalBase<T> {
  set(value: T, options: SetOptions = {}): AsyncStatus {
    return putStatus(this, value, options);
  }
}

/** A signal that is executed rather than given a value (EPICS .PROC, a reset button). */
export class SignalX extends SignalBase<undefined> {
  trigger(options: SetOptions = {}): AsyncStatus {
    return putStatus(this, undefined, options);
  }
}
