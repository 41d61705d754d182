import type { DeviceHints } from "../protocols/has-hints.ts";
import type { DataKeys, Readings } from "../protocols/reading.ts";
import type { Status } from "../protocols/status.ts";
import { AsyncStatus } from "./async-status.ts";
import { Device } from "./device.ts";
import { SignalR } from "./signal.ts";
import type { SignalRW } from "./signal-rw.ts";

type Part = "read" | "config";

/**
 * A device whose `read`, `describe`, `readConfiguration`, `describeConfiguration` and
 * `hints` follow from its children's kinds, and whose `stage` sets the signals given to
 * `stageSignal` and `unstage` puts back their previous values (ophyd's stage_sigs).
 */
export class StandardReadable extends Device {
  #stageSigs = new Map<SignalRW<unknown>, unknown>();
  #restore: Array<[SignalRW<unknown>, unknown]> | undefined;

  async read(): Promise<Readings> {
    return this.#gather(
      "read",
      (node) => node.read(),
      (device) => device.read(),
    );
  }

  async describe(): Promise<DataKeys> {
    return this.#gather(
      "read",
      (node) => node.describe(),
      (device) => device.describe(),
    );
  }

  async readConfiguration(): Promise<Readings> {
    return this.#gather(
      "config",
      (node) => node.read(),
      (device) => device.read(),
      (device) => device.readConfiguration(),
    );
  }

  async describeConfiguration(): Promise<DataKeys> {
    return this.#gather(
      "config",
      (node) => node.describe(),
      (device) => device.describe(),
      (device) => device.describeConfiguration(),
    );
  }

  /** `{fields: [...]}`: the names of hinted signals, here and in sub-devices. */
  get hints(): DeviceHints {
    const fields: string[] = [];
    for (const [, node, kind] of this.children()) {
      if (node instanceof SignalR && kind === "hinted") fields.push(node.name);
      else if (node instanceof StandardReadable && kind !== "omitted" && kind !== "config") {
        fields.push(...(node.hints.fields ?? []));
      }
    }
    return { fields };
  }

  /** On `stage`, sets `signal` to `value`; `unstage` restores what it was. */
  protected stageSignal<T>(signal: SignalRW<T>, value: T): void {
    this.#stageSigs.set(signal as SignalRW<unknown>, value);
  }

  /** Sets the stage signals (remembering their values), stages sub-devices, then `onStage`. */
  stage(): Status {
    return new AsyncStatus(
      async () => {
        if (this.#restore) return;
        const restore: Array<[SignalRW<unknown>, unknown]> = [];
        this.#restore = restore;
        for (const [signal, value] of this.#stageSigs) {
          restore.push([signal, await signal.getValue()]);
          await signal.set(value);
        }
        for (const [, node] of this.children()) {
          if (node instanceof StandardReadable) await node.stage();
        }
        await this.onStage();
      },
      { operation: `${this.name} stage()` },
    );
  }

  /**
   * Runs `onUnstage`, unstages sub-devices, then puts the stage signals back, last first (even
   * if the rest failed). Staged until all of it succeeded, so a failed unstage can be retried.
   */
  unstage(): Status {
    return new AsyncStatus(
      async () => {
        const restore = this.#restore;
        if (!restore) return;
        try {
          await this.onUnstage();
          for (const [, node] of [...this.children()].reverse()) {
            if (node instanceof StandardReadable) await node.unstage();
          }
        } finally {
          for (const [signal, value] of [...restore].reverse()) await signal.set(value);
        }
        this.#restore = undefined;
      },
      { operation: `${this.name} unstage()` },
    );
  }

  /** Whether `stage` has run and `unstage` not yet. */
  get staged(): boolean {
    return this.#restore !== undefined;
  }

  /** Extra work of `stage` (open a file...). */
  protected async onStage(): Promise<void> {}

  /** Extra work of `unstage` (close the file...). */
  protected async onUnstage(): Promise<void> {}

  async #gather<V>(
    part: Part,
    fromSignal: (signal: SignalR<unknown>) => Promise<Record<string, V>>,
    fromDevice: (device: StandardReadable) => Promise<Record<string, V>>,
    fromDeviceConfig?: (device: StandardReadable) => Promise<Record<string, V>>,
  ): Promise<Record<string, V>> {
    const jobs: Array<Promise<Record<string, V>>> = [];
    for (const [, node, kind] of this.children()) {
      const wanted = part === "read" ? kind === "hinted" || kind === "normal" : kind === "config";
      if (node instanceof SignalR) {
        if (wanted) jobs.push(fromSignal(node));
      } else if (node instanceof StandardReadable) {
        if (wanted) jobs.push(fromDevice(node));
        // A sub-device's own configuration is ours too, unless it is omitted.
        if (fromDeviceConfig && kind !== "omitted") jobs.push(fromDeviceConfig(node));
      }
    }
    return Object.assign({}, ...(await Promise.all(jobs)));
  }
}
