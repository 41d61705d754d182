// Serving devices as PVs: a Movable as a motor record, a Triggerable as a processed record,
// a Signal as a PV, a frame source as an areaDetector-style camera.
import type {
  Configurable,
  DataKeys,
  Readable,
  SignalR,
  SignalRW,
  Status,
  Triggerable,
} from "@cerulean/devices";
import type { ProcessVariable, PvDefinition } from "./process-variable.ts";
import type { SoftIoc } from "./soft-ioc.ts";

/** What `serveMotor` needs of a motor (SynAxis has it). */
export interface ServableMotor {
  readonly name: string;
  set(value: number): Status;
  stop(): Promise<void>;
  readonly readback: SignalR<number>;
  readonly velocity: SignalRW<number>;
  readonly acceleration?: SignalRW<number>;
  readonly limits?: { low: number; high: number } | undefined;
}

/** Stops serving: unsubscribes from the devices (the PVs stay in the database). */
export type Unserve = () => void;

async function metadataOf(
  signal: SignalR<number>,
): Promise<Pick<PvDefinition, "units" | "precision">> {
  const key = Object.values(await signal.describe())[0];
  return {
    ...(typeof key?.units === "string" ? { units: key.units } : {}),
    ...(typeof key?.precision === "number" ? { precision: key.precision } : {}),
  };
}

/**
 * Serves `motor` as a motor record: `<pv>.VAL` (put: move; the put callback completes when
 * the move does), `.RBV`, `.DMOV`, `.STOP`, `.VELO`, `.ACCL`, `.HLM`, `.LLM`, `.EGU`, `.PREC`.
 */
export async function serveMotor(ioc: SoftIoc, pv: string, motor: ServableMotor): Promise<Unserve> {
  const meta = await metadataOf(motor.readback);
  const position = await motor.readback.getValue();
  const limits = motor.limits;
  const control = limits ? { limits: { control: { low: limits.low, high: limits.high } } } : {};
  const dmov = ioc.add(`${pv}.DMOV`, { type: "short", value: 1, writable: false });
  let moves = 0;
  ioc.add(`${pv}.VAL`, {
    value: position,
    ...meta,
    ...control,
    onPut: async (value, record) => {
      record.update({ value });
      moves++;
      dmov.update({ value: 0 });
      try {
        await motor.set(Number(value));
      } finally {
        if (--moves === 0) dmov.update({ value: 1 });
      }
    },
  });
  const rbv = ioc.add(`${pv}.RBV`, { value: position, ...meta, ...control, writable: false });
  ioc.add(`${pv}.STOP`, { type: "short", value: 0, onPut: () => motor.stop() });
  const tuning = (suffix: string, signal: SignalRW<number> | undefined, value: number) =>
    ioc.add(`${pv}.${suffix}`, {
      value,
      ...(signal
        ? {
            onPut: async (v: unknown, record: ProcessVariable) => {
              await signal.set(Number(v));
              record.update({ value: Number(v) });
            },
          }
        : { writable: false }),
    });
  tuning("VELO", motor.velocity, await motor.velocity.getValue());
  tuning("ACCL", motor.acceleration, (await motor.acceleration?.getValue()) ?? 0);
  ioc.add(`${pv}.HLM`, { value: limits?.high ?? 0, writable: false, ...meta });
  ioc.add(`${pv}.LLM`, { value: limits?.low ?? 0, writable: false, ...meta });
  ioc.add(`${pv}.EGU`, { value: meta.units ?? "", writable: false });
  ioc.add(`${pv}.PREC`, { type: "short", value: meta.precision ?? 0, writable: false });
  return motor.readback.subscribeValue((value) => rbv.update({ value }));
}

function definitionFor(value: unknown, key: DataKeys[string] | undefined): PvDefinition {
  if (key?.choices && typeof value === "string") {
    return { type: "enum", value, enumStrings: key.choices };
  }
  if (typeof value === "boolean")
    return { type: "enum", value: value ? 1 : 0, enumStrings: ["false", "true"] };
  if (typeof value === "string") return { type: "string", value };
  const integer = key?.dtype === "integer";
  const definition: PvDefinition = {
    type: integer ? "long" : "double",
    value: value as PvDefinition["value"],
  };
  if (Array.isArray(value) || ArrayBuffer.isView(value))
    definition.count = (value as ArrayLike<number>).length;
  if (typeof key?.units === "string") definition.units = key.units;
  if (typeof key?.precision === "number") definition.precision = key.precision;
  return definition;
}

/** Serves a signal as a PV (writable when the signal is), following its monitor. */
export async function serveSignal<T>(
  ioc: SoftIoc,
  pv: string,
  signal: SignalR<T>,
): Promise<Unserve> {
  const key = Object.values(await signal.describe())[0];
  const definition = definitionFor(await signal.getValue(), key);
  const writable = "set" in signal && typeof (signal as unknown as SignalRW<T>).set === "function";
  if (writable) {
    const rw = signal as unknown as SignalRW<T>;
    definition.onPut = async (value) => {
      const choices = definition.enumStrings;
      const next =
        key?.dtype === "boolean"
          ? value === 1
          : choices && typeof value === "number"
            ? choices[value]
            : value;
      await rw.set(next as T);
    };
  } else definition.writable = false;
  const record = ioc.add(pv, definition);
  return signal.subscribeValue((value) => {
    record.update({
      value: (typeof value === "boolean" ? (value ? 1 : 0) : value) as PvDefinition["value"],
    });
  });
}

/**
 * Serves a triggered detector: `<pv>` holds its (first) reading, `<pv>.PROC` triggers and
 * re-reads it (the put callback completes after), `<pv>:<key>` its configuration.
 */
export async function serveDetector(
  ioc: SoftIoc,
  pv: string,
  detector: Readable & Triggerable & Partial<Configurable>,
): Promise<void> {
  const firstValue = async () => Object.values(await detector.read())[0]?.value;
  const keys = await detector.describe();
  const record = ioc.add(pv, {
    ...definitionFor(await firstValue(), Object.values(keys)[0]),
    writable: false,
  });
  const config = detector.readConfiguration ? await detector.readConfiguration() : {};
  const configKeys = detector.describeConfiguration ? await detector.describeConfiguration() : {};
  for (const [name, reading] of Object.entries(config)) {
    const suffix = name.startsWith(`${detector.name}_`)
      ? name.slice(detector.name.length + 1)
      : name;
    ioc.add(`${pv}:${suffix}`, {
      ...definitionFor(reading.value, configKeys[name]),
      writable: false,
    });
  }
  ioc.add(`${pv}.PROC`, {
    type: "short",
    value: 0,
    onPut: async () => {
      await detector.trigger();
      record.update({ value: (await firstValue()) as PvDefinition["value"] });
    },
  });
}

/** What `serveCamera` needs: the frame shape and how to acquire one. */
export interface FrameSource {
  /** [rows, columns] */
  shape: readonly [number, number];
  acquire(): Promise<ArrayLike<number>>;
}

/**
 * Serves an areaDetector-style camera under `prefix`: `cam1:Acquire` (put 1: acquire; the
 * put callback completes with the frame), `cam1:AcquireTime`, `cam1:ArrayCounter_RBV`,
 * `image1:ArrayData`, `image1:ArraySize0_RBV`/`ArraySize1_RBV`, `stats1:Total_RBV`.
 */
export function serveCamera(ioc: SoftIoc, prefix: string, source: FrameSource): void {
  const [rows, columns] = source.shape;
  const pixels = rows * columns;
  const acquireTime = ioc.add(`${prefix}cam1:AcquireTime`, { value: 0, units: "s", precision: 3 });
  const counter = ioc.add(`${prefix}cam1:ArrayCounter_RBV`, {
    type: "long",
    value: 0,
    writable: false,
  });
  const data = ioc.add(`${prefix}image1:ArrayData`, {
    value: new Float64Array(pixels),
    count: pixels,
    writable: false,
  });
  ioc.add(`${prefix}image1:ArraySize0_RBV`, { type: "long", value: columns, writable: false });
  ioc.add(`${prefix}image1:ArraySize1_RBV`, { type: "long", value: rows, writable: false });
  const total = ioc.add(`${prefix}stats1:Total_RBV`, { value: 0, precision: 3, writable: false });
  ioc.add(`${prefix}cam1:Acquire`, {
    type: "enum",
    value: 0,
    enumStrings: ["Done", "Acquire"],
    onPut: async (value, record) => {
      if (value !== 1) return record.update({ value: 0 });
      record.update({ value: 1 });
      try {
        const seconds = Number(acquireTime.value);
        if (seconds > 0) await new Promise((r) => setTimeout(r, seconds * 1000));
        const frame = Float64Array.from(await source.acquire());
        let sum = 0;
        for (const pixel of frame) sum += pixel;
        data.update({ value: frame });
        total.update({ value: sum });
        counter.update({ value: Number(counter.value) + 1 });
      } finally {
        record.update({ value: 0 });
      }
    },
  });
}
