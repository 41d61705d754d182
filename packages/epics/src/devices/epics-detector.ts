// A point detector over CA: processing `<prefix>.PROC` acquires, `<prefix>` holds the value.
import { AsyncStatus, type SignalR, type SignalX, StandardReadable } from "@cerulean/devices";
import { caSignalR, caSignalX } from "../epics-signal.ts";
import type { EpicsDeviceOptions } from "./epics-motor.ts";

export interface EpicsDetectorOptions extends EpicsDeviceOptions {
  /** Configuration PVs `<prefix>:<key>`, read as `<name>_<key>` (e.g. ["Imax", "sigma"]). */
  config?: string[];
}

/**
 * A triggered scalar (a scaler channel, a calc record): `trigger()` writes `<prefix>.PROC`
 * with a put callback and finishes when the IOC has processed it; reads `{<name>: value}`.
 * @example new EpicsDetector("SIM:det", "det", { config: ["Imax", "center", "sigma"] })
 */
export class EpicsDetector extends StandardReadable {
  readonly value: SignalR<number>;
  readonly process: SignalX;
  readonly configuration: ReadonlyMap<string, SignalR<unknown>>;

  constructor(prefix: string, name = "", options: EpicsDetectorOptions = {}) {
    super(name);
    const ca = options.context ? { context: options.context } : {};
    this.value = this.addChild("value", caSignalR(prefix, ca), {
      kind: "hinted",
      nameAsParent: true,
    });
    this.process = this.addChild("process", caSignalX(`${prefix}.PROC`, ca), { kind: "omitted" });
    const configuration = new Map<string, SignalR<unknown>>();
    for (const key of options.config ?? []) {
      configuration.set(
        key,
        this.addChild(key, caSignalR<unknown>(`${prefix}:${key}`, ca), { kind: "config" }),
      );
    }
    this.configuration = configuration;
  }

  /** Acquires: done when the IOC finished processing. */
  trigger(): AsyncStatus {
    return new AsyncStatus(async () => await this.process.trigger({ wait: true }), {
      operation: `${this.name} trigger()`,
    });
  }
}
