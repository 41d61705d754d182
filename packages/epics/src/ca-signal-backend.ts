// A devices SignalBackend over Channel Access: a Signal whose value lives in an EPICS PV.
import type {
  MockDefaults,
  Reading,
  ReadingCallback,
  SignalBackend,
  SignalMetadata,
} from "@cerulean/devices";
import type { DataKey, Limits } from "@cerulean/event-model";
import type { CaValue } from "./client/ca-value.ts";
import type { CaChannel } from "./client/channel.ts";
import type { CaContext } from "./client/context.ts";
import type { CaSubscription } from "./client/subscription.ts";
import { EventMask } from "./protocol/commands.ts";
import type { CaPutValue } from "./protocol/convert.ts";
import type { CaLimits } from "./protocol/dbr.ts";
import type { DbrNativeName } from "./protocol/dbr-types.ts";

/** How a PV's value is presented to the Signal; default from the PV's native type. */
export type CaDatatype = "number" | "integer" | "string" | "boolean" | "array";

export interface CaSignalBackendOptions {
  /** Where writes go, when not the PV that is read (a setpoint and its readback). */
  writePv?: string;
  /** Presentation of the value; also the type of the mock value in mock mode. */
  datatype?: CaDatatype;
}

const NUMPY: Record<DbrNativeName, string> = {
  double: "<f8",
  float: "<f4",
  long: "<i4",
  short: "<i2",
  char: "|u1",
  enum: "|S40",
  string: "|S40",
};

const MOCK_VALUES: Record<CaDatatype, unknown> = {
  number: 0,
  integer: 0,
  string: "",
  boolean: false,
  array: new Float64Array(0),
};

/** Keeps the limit ranges an IOC actually set (0..0 means "not set" in EPICS). */
function limitsOf(limits: CaLimits | undefined): Limits | undefined {
  if (!limits) return undefined;
  const out: Limits = {};
  for (const key of ["control", "display", "warning", "alarm"] as const) {
    const range = limits[key];
    if (range && !(range.low === 0 && range.high === 0)) out[key] = { ...range };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Reads (and monitors) one PV and writes another (or the same); values arrive as numbers,
 * strings (enum labels too) or typed arrays.
 * @example new SignalRW(new CaSignalBackend(context, "SIM:motor.RBV", { writePv: "SIM:motor.VAL" }))
 */
export class CaSignalBackend<T> implements SignalBackend<T> {
  readonly readPv: string;
  readonly writePv: string;
  readonly #context: CaContext;
  readonly #datatype: CaDatatype | undefined;
  #read: CaChannel | undefined;
  #write: CaChannel | undefined;
  #subscription: CaSubscription | undefined;

  constructor(context: CaContext, readPv: string, options: CaSignalBackendOptions = {}) {
    this.#context = context;
    this.readPv = readPv;
    this.writePv = options.writePv ?? readPv;
    this.#datatype = options.datatype;
  }

  /** "ca://<read PV>", the DataKey source. */
  source(): string {
    return `ca://${this.readPv}`;
  }

  /** Connects the channels; rejects with CaTimeoutError naming the PV that did not connect. */
  async connect(timeout: number): Promise<void> {
    const read = this.#channel("read");
    const write = this.#channel("write");
    await Promise.all([read.waitConnected(timeout), write.waitConnected(timeout)]);
  }

  /** The channel (created on first use; it then connects and reconnects by itself). */
  #channel(which: "read" | "write"): CaChannel {
    this.#read ??= this.#context.createChannel(this.readPv);
    if (which === "read") return this.#read;
    this.#write ??=
      this.writePv === this.readPv ? this.#read : this.#context.createChannel(this.writePv);
    return this.#write;
  }

  /** Enums are read as their labels unless the value is wanted as a number or boolean. */
  get #wantsLabels(): boolean {
    const d = this.#datatype;
    return d !== "integer" && d !== "number" && d !== "boolean";
  }

  #convert(value: CaValue["value"]): T {
    if (this.#datatype === "boolean")
      return (typeof value === "number" ? value !== 0 : value === "1") as T;
    return value as T;
  }

  async getDataKey(source: string): Promise<DataKey> {
    const channel = this.#channel("read");
    const ctrl = await channel.get({ family: "ctrl" });
    const native = channel.nativeType;
    const isArray = channel.elementCount > 1 || this.#datatype === "array";
    const labels = native === "enum" && this.#wantsLabels;
    const numeric = native !== "string" && !labels;
    const integer =
      native === "long" ||
      native === "short" ||
      native === "char" ||
      (native === "enum" && !labels);
    let dtype: DataKey["dtype"] = numeric ? (integer ? "integer" : "number") : "string";
    if (this.#datatype === "boolean") dtype = "boolean";
    if (isArray) dtype = "array";
    const key: DataKey = {
      dtype,
      shape: isArray ? [channel.elementCount] : [],
      source,
      dtype_numpy:
        this.#datatype === "boolean" ? "|b1" : native === "enum" && !labels ? "<u2" : NUMPY[native],
    };
    if (numeric && ctrl.units) key.units = ctrl.units;
    if (native === "double" || native === "float") key.precision = ctrl.precision ?? 0;
    const limits = numeric ? limitsOf(ctrl.limits) : undefined;
    if (limits) key.limits = limits;
    if (native === "enum" && ctrl.enumStrings) key.choices = [...ctrl.enumStrings];
    return key;
  }

  async getReading(): Promise<Reading<T>> {
    const channel = this.#channel("read");
    const got = await channel.get({ family: "time", enumLabels: this.#wantsLabels });
    return this.#reading(got);
  }

  #reading(got: CaValue): Reading<T> {
    return {
      value: this.#convert(got.value),
      timestamp: got.timestamp ?? Date.now() / 1000,
      alarm_severity: got.severity ?? 0,
    };
  }

  async getValue(): Promise<T> {
    return (await this.getReading()).value;
  }

  async getSetpoint(): Promise<T> {
    const channel = this.#channel("write");
    const got = await channel.get({ family: "plain", enumLabels: this.#wantsLabels });
    return this.#convert(got.value);
  }

  /** Writes `value` (1 for an action signal); with `wait`, resolves when the IOC completed it. */
  async put(value: T | undefined, wait: boolean): Promise<void> {
    const channel = this.#channel("write");
    const payload = (value === undefined ? 1 : value) as CaPutValue;
    await channel.put(payload, { wait });
  }

  setCallback(callback: ReadingCallback<T> | undefined): void {
    this.#subscription?.close();
    this.#subscription = undefined;
    if (!callback) return;
    this.#subscription = this.#channel("read").subscribe(
      (update) => callback(this.#reading(update)),
      { mask: EventMask.value | EventMask.alarm, family: "time", enumLabels: this.#wantsLabels },
      // The callback API has no error path: a lost monitor must at least be visible.
      (error) =>
        process.emitWarning(
          `signal of PV "${this.readPv}" lost a monitor update: ${error.message}`,
          "CaMonitorWarning",
        ),
    );
  }

  mockDefaults(): MockDefaults<T> {
    const metadata: SignalMetadata = {};
    return { value: MOCK_VALUES[this.#datatype ?? "number"] as T, metadata };
  }
}
