// One PV served by the soft IOC: value, alarm, timestamp, display metadata, put handling.

import type { CaScalar } from "../client/ca-value.ts";
import { CaValueError } from "../errors.ts";
import { EventMask } from "../protocol/commands.ts";
import { type CaPutValue, convertArray, toCaArray } from "../protocol/convert.ts";
import { type CaArray, type CaLimits, emptyArray, encodeDbr } from "../protocol/dbr.ts";
import {
  DbrNative,
  type DbrNativeName,
  type DbrNativeType,
  MAX_ENUM_STATES,
  nativeOf,
} from "../protocol/dbr-types.ts";

/** What a put handler receives: the written value, converted to the PV's type. */
export type PutHandler = (value: CaScalar | CaArray, pv: ProcessVariable) => void | Promise<void>;

/** How to create a PV. */
export interface PvDefinition {
  /** Native type; default from the initial value (number: double, string: string). */
  type?: DbrNativeName;
  value: CaPutValue;
  /** Maximum elements (NELM); default the initial value's length. */
  count?: number;
  units?: string;
  precision?: number;
  limits?: CaLimits;
  /** Labels of an enum PV (at most 16). */
  enumStrings?: string[];
  severity?: number;
  status?: number;
  /** Whether clients may write; default true. */
  writable?: boolean;
  /**
   * Handles a client's put instead of storing the value: call `pv.update(...)` to store what
   * should be stored. A put with completion waits for the returned promise; a rejection
   * fails the put with the error's message.
   */
  onPut?: PutHandler;
}

/** The changes `update` accepts. */
export interface PvUpdate {
  value?: CaPutValue;
  severity?: number;
  status?: number;
  /** Seconds since the Unix epoch; default now when the value or alarm changes. */
  timestamp?: number;
  units?: string;
  precision?: number;
  limits?: CaLimits;
  enumStrings?: string[];
  writable?: boolean;
}

function inferType(value: CaPutValue): DbrNativeName {
  const first = typeof value === "object" ? Array.from(value as ArrayLike<unknown>)[0] : value;
  if (typeof first === "string") return "string";
  if (value instanceof Int32Array) return "long";
  if (value instanceof Int16Array) return "short";
  if (value instanceof Uint8Array) return "char";
  if (value instanceof Float32Array) return "float";
  return "double";
}

/** A PV of the soft IOC. Made by `PvDatabase.add`. */
export class ProcessVariable {
  readonly name: string;
  readonly nativeType: DbrNativeType;
  readonly maxCount: number;
  readonly #observers = new Set<(mask: number) => void>();
  readonly #onPut: PutHandler | undefined;
  #array: CaArray;
  severity: number;
  status: number;
  timestamp: number;
  units: string;
  precision: number;
  limits: CaLimits;
  enumStrings: string[];
  writable: boolean;

  constructor(name: string, definition: PvDefinition) {
    this.name = name;
    this.nativeType = DbrNative[definition.type ?? inferType(definition.value)];
    this.enumStrings = (definition.enumStrings ?? []).slice(0, MAX_ENUM_STATES);
    this.#array = toCaArray(definition.value, this.nativeType, this.#context());
    this.maxCount = Math.max(1, definition.count ?? this.#array.length);
    if (this.#array.length > this.maxCount) {
      throw new CaValueError(
        `PV "${name}": initial value has ${this.#array.length} elements, count is ${this.maxCount}`,
      );
    }
    this.severity = definition.severity ?? 0;
    this.status = definition.status ?? 0;
    this.timestamp = Date.now() / 1000;
    this.units = definition.units ?? "";
    this.precision = definition.precision ?? 0;
    this.limits = definition.limits ?? {};
    this.writable = definition.writable ?? true;
    this.#onPut = definition.onPut;
  }

  #context() {
    return { enumStrings: this.enumStrings, precision: this.precision, what: `PV "${this.name}"` };
  }

  /** The current value: a scalar for a one-element PV, else the array. */
  get value(): CaScalar | CaArray {
    const first = this.#array[0];
    return this.maxCount === 1 && first !== undefined ? first : this.#array;
  }

  /** The current elements. */
  get array(): CaArray {
    return this.#array;
  }

  /**
   * Changes the value, alarm or metadata and posts monitors: value -> DBE_VALUE|DBE_LOG,
   * alarm -> DBE_ALARM, metadata -> DBE_PROPERTY. Throws CaValueError for a value that
   * does not fit the PV's type or count.
   */
  update(changes: PvUpdate): void {
    let mask = 0;
    if (changes.enumStrings !== undefined)
      this.enumStrings = changes.enumStrings.slice(0, MAX_ENUM_STATES);
    if (changes.value !== undefined) {
      const array = toCaArray(changes.value, this.nativeType, this.#context());
      if (array.length > this.maxCount) {
        throw new CaValueError(
          `PV "${this.name}" holds at most ${this.maxCount} elements; got ${array.length}`,
        );
      }
      this.#array = array;
      mask |= EventMask.value | EventMask.log;
    }
    if (changes.severity !== undefined && changes.severity !== this.severity) {
      this.severity = changes.severity;
      mask |= EventMask.alarm;
    }
    if (changes.status !== undefined && changes.status !== this.status) {
      this.status = changes.status;
      mask |= EventMask.alarm;
    }
    if (mask !== 0 || changes.timestamp !== undefined) {
      this.timestamp = changes.timestamp ?? Date.now() / 1000;
    }
    for (const key of ["units", "precision", "limits", "writable"] as const) {
      if (changes[key] !== undefined) mask |= EventMask.property;
    }
    if (changes.enumStrings !== undefined) mask |= EventMask.property;
    if (changes.units !== undefined) this.units = changes.units;
    if (changes.precision !== undefined) this.precision = changes.precision;
    if (changes.limits !== undefined) this.limits = changes.limits;
    if (changes.writable !== undefined) this.writable = changes.writable;
    if (mask !== 0) for (const observer of this.#observers) observer(mask);
  }

  /** @internal Called for every change with its event mask; returns an unsubscribe. */
  observe(observer: (mask: number) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** @internal A client's put, already in the native type: the handler, or a plain store. */
  async put(array: CaArray): Promise<void> {
    const first = array[0];
    const value = this.maxCount === 1 && first !== undefined ? first : array;
    if (this.#onPut) await this.#onPut(value, this);
    else this.update({ value: array });
  }

  /** @internal Converts a client's put of `dataType` elements to the native type. */
  fromClient(array: CaArray, dataType: number): CaArray {
    return convertArray(array, nativeOf(dataType), this.nativeType, this.#context());
  }

  /**
   * @internal Encodes the value as DBR `dataType` with `count` elements (0: the current
   * length); missing elements are zeros, as an IOC sends them.
   */
  encode(dataType: number, count: number): { data: Uint8Array; count: number } {
    const target = nativeOf(dataType);
    let array = convertArray(this.#array, this.nativeType, target, this.#context());
    const n = count === 0 ? array.length : count;
    if (array.length !== n) array = resize(array, target, n);
    const data = encodeDbr(dataType, array, {
      status: this.status,
      severity: this.severity,
      timestamp: this.timestamp,
      units: this.units,
      precision: this.precision,
      limits: this.limits,
      enumStrings: this.enumStrings,
    });
    return { data, count: n };
  }
}

function resize(array: CaArray, native: DbrNativeType, n: number): CaArray {
  const out = emptyArray(native, n);
  const m = Math.min(n, array.length);
  if (Array.isArray(out)) for (let i = 0; i < m; i++) out[i] = String(array[i] ?? "");
  else for (let i = 0; i < m; i++) out[i] = Number(array[i] ?? 0);
  return out;
}
