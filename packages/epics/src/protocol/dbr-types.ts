// DBR type codes and the byte layout of each of their C structures (db_access.h).

/** The seven native field types; a DBR code is `native + family offset`. */
export const DbrNative = {
  string: 0,
  short: 1,
  float: 2,
  enum: 3,
  char: 4,
  long: 5,
  double: 6,
} as const;
export type DbrNativeName = keyof typeof DbrNative;
export type DbrNativeType = (typeof DbrNative)[DbrNativeName];

/** The structure families: bare value, +alarm, +timestamp, +graphic limits, +control limits. */
export type DbrFamily = "plain" | "sts" | "time" | "gr" | "ctrl";

const FAMILY_OFFSET: Record<DbrFamily, number> = { plain: 0, sts: 7, time: 14, gr: 21, ctrl: 28 };
const FAMILIES: DbrFamily[] = ["plain", "sts", "time", "gr", "ctrl"];
const NATIVE_NAMES: DbrNativeName[] = [
  "string",
  "short",
  "float",
  "enum",
  "char",
  "long",
  "double",
];

/** Highest value-carrying DBR code (DBR_CTRL_DOUBLE). */
export const LAST_DBR_TYPE = 34;

/** Bytes per element of each native type. */
export const ELEMENT_SIZE = [40, 2, 4, 2, 1, 4, 8] as const;

/** The range of each integer native type (DBR_CHAR is unsigned). */
export const INTEGER_RANGE: Partial<Record<DbrNativeType, readonly [number, number]>> = {
  [DbrNative.short]: [-32768, 32767],
  [DbrNative.enum]: [0, 65535],
  [DbrNative.char]: [0, 255],
  [DbrNative.long]: [-2147483648, 2147483647],
};

/** Fixed sizes of the string fields. */
export const MAX_STRING_SIZE = 40;
export const MAX_UNITS_SIZE = 8;
export const MAX_ENUM_STRING_SIZE = 26;
export const MAX_ENUM_STATES = 16;

/** Seconds between the Unix epoch and the EPICS epoch (1990-01-01 UTC). */
export const EPICS_EPOCH_OFFSET = 631152000;

/** The DBR code of `native` in `family` (e.g. ("double", "time") -> DBR_TIME_DOUBLE = 20). */
export function dbrCode(native: DbrNativeType, family: DbrFamily): number {
  return native + FAMILY_OFFSET[family];
}

/** True when `code` is a value-carrying DBR type this package understands. */
export function isValidDbrCode(code: number): boolean {
  return Number.isInteger(code) && code >= 0 && code <= LAST_DBR_TYPE;
}

/** The native type of a DBR code. */
export function nativeOf(code: number): DbrNativeType {
  return (code % 7) as DbrNativeType;
}

/** The family of a DBR code. */
export function familyOf(code: number): DbrFamily {
  return FAMILIES[Math.floor(code / 7)] ?? "plain";
}

/** "DBR_TIME_DOUBLE" etc., for messages. */
export function dbrName(code: number): string {
  if (!isValidDbrCode(code)) return `DBR type ${code}`;
  const family = familyOf(code);
  const native = NATIVE_NAMES[nativeOf(code)]?.toUpperCase() ?? "?";
  return family === "plain" ? `DBR_${native}` : `DBR_${family.toUpperCase()}_${native}`;
}

/** The name of a native type ("double"). */
export function nativeName(native: DbrNativeType): DbrNativeName {
  return NATIVE_NAMES[native] ?? "double";
}

/** One field of a DBR structure before the value. */
export type DbrField =
  | { kind: "alarm" }
  | { kind: "stamp" }
  | { kind: "pad"; bytes: number }
  | { kind: "units" }
  | { kind: "precision" }
  | { kind: "limits"; count: 6 | 8 }
  | { kind: "enumStrings" };

const ALARM: DbrField = { kind: "alarm" };
const STAMP: DbrField = { kind: "stamp" };
const UNITS: DbrField = { kind: "units" };
const PRECISION: DbrField = { kind: "precision" };
const ENUMS: DbrField = { kind: "enumStrings" };
const pad = (bytes: number): DbrField => ({ kind: "pad", bytes });

function graphicLayout(native: DbrNativeType, count: 6 | 8): DbrField[] {
  const limits: DbrField = { kind: "limits", count };
  switch (native) {
    case DbrNative.string:
      return [ALARM];
    case DbrNative.enum:
      return [ALARM, ENUMS];
    case DbrNative.float:
    case DbrNative.double:
      return [ALARM, PRECISION, pad(2), UNITS, limits];
    case DbrNative.char:
      return [ALARM, UNITS, limits, pad(1)];
    default:
      return [ALARM, UNITS, limits];
  }
}

// Padding that C inserts so the value is aligned (RISC_pad fields).
const STS_PAD = [0, 0, 0, 0, 1, 0, 4] as const;
const TIME_PAD = [0, 2, 0, 2, 3, 0, 4] as const;

function computeLayout(code: number): DbrField[] {
  const native = nativeOf(code);
  switch (familyOf(code)) {
    case "plain":
      return [];
    case "sts":
      return STS_PAD[native] ? [ALARM, pad(STS_PAD[native])] : [ALARM];
    case "time":
      return TIME_PAD[native] ? [ALARM, STAMP, pad(TIME_PAD[native])] : [ALARM, STAMP];
    case "gr":
      return graphicLayout(native, 6);
    case "ctrl":
      return graphicLayout(native, 8);
  }
}

const LAYOUTS: DbrField[][] = Array.from({ length: LAST_DBR_TYPE + 1 }, (_, code) =>
  computeLayout(code),
);

/** The fields preceding the value in DBR code `code` (shared: do not modify). */
export function layoutOf(code: number): readonly DbrField[] {
  return LAYOUTS[code] ?? [];
}

/** Bytes of one field in a structure whose native type is `native`. */
export function fieldSize(field: DbrField, native: DbrNativeType): number {
  switch (field.kind) {
    case "alarm":
      return 4;
    case "stamp":
      return 8;
    case "pad":
      return field.bytes;
    case "units":
      return MAX_UNITS_SIZE;
    case "precision":
      return 2;
    case "limits":
      return field.count * ELEMENT_SIZE[native];
    case "enumStrings":
      return 2 + MAX_ENUM_STATES * MAX_ENUM_STRING_SIZE;
  }
}

const OFFSETS: number[] = LAYOUTS.map((layout, code) =>
  layout.reduce((sum, field) => sum + fieldSize(field, nativeOf(code)), 0),
);

/** Offset of the first value element in DBR code `code`. */
export function valueOffset(code: number): number {
  return OFFSETS[code] ?? 0;
}

/** Unpadded bytes of a DBR structure of `code` holding `count` elements. */
export function dbrSize(code: number, count: number): number {
  return valueOffset(code) + count * ELEMENT_SIZE[nativeOf(code)];
}
