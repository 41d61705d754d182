// Per stream, the describe/configuration results of the objects read into it, asked once.
import type { Configurable, DataKeys, Readable, Readings } from "@cerulean/devices/protocols";
import type { DataKey } from "@cerulean/event-model";
import { DeviceError, ProtocolError } from "../errors.ts";
import { objectName } from "../msg.ts";

/** The configuration of one object, split as a descriptor's `configuration` entry wants it. */
export interface ConfigSnapshot {
  data: Record<string, unknown>;
  timestamps: Record<string, unknown>;
  data_keys: Record<string, DataKey>;
}

/** True for objects with both `read` and `describe`. */
export function isReadable(obj: unknown): obj is Readable {
  return (
    typeof obj === "object" &&
    obj !== null &&
    typeof (obj as Readable).read === "function" &&
    typeof (obj as Readable).describe === "function"
  );
}

/** True for objects with `readConfiguration` and `describeConfiguration`. */
export function isConfigurable(obj: unknown): obj is Configurable {
  return (
    typeof obj === "object" &&
    obj !== null &&
    typeof (obj as Configurable).readConfiguration === "function" &&
    typeof (obj as Configurable).describeConfiguration === "function"
  );
}

/** Throws ProtocolError unless `obj` is Readable. */
export function assertReadable(obj: unknown, command: string): Readable {
  if (!isReadable(obj)) {
    throw new ProtocolError(
      `"${command}" needs a Readable object (with read() and describe()); got ${objectName(obj)}`,
    );
  }
  return obj;
}

/** Calls a device method, turning a throw or rejection into DeviceError naming it. */
export async function callDevice<T>(
  command: string,
  obj: unknown,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new DeviceError(command, objectName(obj), err);
  }
}

/** Describe and configuration caches of one stream of one run. */
export class StreamCache {
  /** obj.describe() of each object read into the stream. */
  readonly describe = new Map<object, DataKeys>();
  /** Configuration of each object, read when first seen (and again after `configure`). */
  readonly config = new Map<object, ConfigSnapshot>();

  /** True when `obj`'s describe (unless collecting) and configuration are cached. */
  has(obj: object, collect = false): boolean {
    return (collect || this.describe.has(obj)) && this.config.has(obj);
  }

  /** Caches what is missing for `obj`: describe() (unless collect) and its configuration. */
  async ensure(obj: object, collect = false): Promise<void> {
    const work: Promise<void>[] = [];
    if (!collect && !this.describe.has(obj)) {
      const readable = assertReadable(obj, "describe");
      work.push(
        callDevice("describe", obj, () => readable.describe()).then((keys) => {
          this.describe.set(obj, keys);
        }),
      );
    }
    if (!this.config.has(obj)) work.push(this.refreshConfig(obj));
    await Promise.all(work);
  }

  /** Reads `obj`'s configuration again (after `configure`). */
  async refreshConfig(obj: object): Promise<void> {
    if (!isConfigurable(obj)) {
      this.config.set(obj, { data: {}, timestamps: {}, data_keys: {} });
      return;
    }
    const [keys, readings] = await Promise.all([
      callDevice("describe_configuration", obj, () => obj.describeConfiguration()),
      callDevice("read_configuration", obj, () => obj.readConfiguration()),
    ]);
    this.config.set(obj, { ...splitReadings(readings), data_keys: keys });
  }
}

/** `{key: {value, timestamp}}` into parallel `data` and `timestamps` dicts. */
export function splitReadings(readings: Readings): {
  data: Record<string, unknown>;
  timestamps: Record<string, unknown>;
} {
  const data: Record<string, unknown> = {};
  const timestamps: Record<string, unknown> = {};
  for (const key in readings) {
    const reading = readings[key];
    if (reading === undefined) continue;
    data[key] = reading.value;
    timestamps[key] = reading.timestamp;
  }
  return { data, timestamps };
}
