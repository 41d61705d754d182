import type { DeviceNode } from "./device.ts";
import { NotConnectedError, toError } from "./errors.ts";
import type { ConnectOptions } from "./signal.ts";

/** Options of `initDevices`. */
export interface InitDevicesOptions extends ConnectOptions {
  /** Name unnamed devices after their key (default true). */
  setName?: boolean;
}

/**
 * Names devices after their keys and connects them all at once (ophyd-async's
 * init_devices); one error lists every device that failed.
 * @example const { motor1 } = await initDevices({ motor1: new SynAxis() }, { mock: true })
 */
export async function initDevices<TDevices extends Record<string, DeviceNode>>(
  devices: TDevices,
  options: InitDevicesOptions = {},
): Promise<TDevices> {
  const { setName = true, ...connectOptions } = options;
  const entries = Object.entries(devices);
  if (setName) for (const [key, device] of entries) if (!device.name) device.setName(key);
  const results = await Promise.allSettled(entries.map(([, d]) => d.connect(connectOptions)));
  const failures = new Map<string, Error>();
  results.forEach((result, i) => {
    if (result.status === "rejected") failures.set(entries[i]?.[0] ?? "", toError(result.reason));
  });
  if (failures.size > 0) throw new NotConnectedError("initDevices", failures);
  return devices;
}
