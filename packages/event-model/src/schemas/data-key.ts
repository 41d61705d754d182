import { type Static, Type } from "@sinclair/typebox";
import { nullable } from "./common.ts";

/** The coarse JSON type of a data key's values; "array" for anything with a non-empty shape. */
export const DtypeSchema = Type.Union(
  [
    Type.Literal("string"),
    Type.Literal("number"),
    Type.Literal("array"),
    Type.Literal("boolean"),
    Type.Literal("integer"),
  ],
  { type: "string" },
);
export type Dtype = Static<typeof DtypeSchema>;

/** Unanchored on purpose, as upstream: a byte order, a kind and a size somewhere in the string. */
const NUMPY_DTYPE_PATTERN = "[|<>][tbiufcmMOSUV][0-9]+";

const numpyDtype = Type.String({ pattern: NUMPY_DTYPE_PATTERN });

/** A numpy dtype string ("<f8") or, for structured data, a list of [field, dtype] pairs. */
export const DtypeNumpySchema = Type.Union([
  numpyDtype,
  Type.Array(
    Type.Unsafe<[string, string]>({
      type: "array",
      minItems: 2,
      maxItems: 2,
      prefixItems: [{ type: "string" }, { type: "string", pattern: NUMPY_DTYPE_PATTERN }],
    }),
  ),
]);
export type DtypeNumpy = Static<typeof DtypeNumpySchema>;

export const LimitsRangeSchema = Type.Object(
  { low: nullable(Type.Number()), high: nullable(Type.Number()) },
  { additionalProperties: false },
);
export type LimitsRange = Static<typeof LimitsRangeSchema>;

export const RdsRangeSchema = Type.Object({
  time_difference: Type.Number(),
  value_difference: Type.Number(),
});
export type RdsRange = Static<typeof RdsRangeSchema>;

/** EPICS-style limits of a signal; every member optional and nullable. */
export const LimitsSchema = Type.Object(
  {
    control: Type.Optional(nullable(LimitsRangeSchema)),
    display: Type.Optional(nullable(LimitsRangeSchema)),
    warning: Type.Optional(nullable(LimitsRangeSchema)),
    alarm: Type.Optional(nullable(LimitsRangeSchema)),
    hysteresis: Type.Optional(nullable(Type.Number())),
    rds: Type.Optional(nullable(RdsRangeSchema)),
  },
  { additionalProperties: false },
);
export type Limits = Static<typeof LimitsSchema>;

/** Describes one key of the `data` of the events of a stream. Open: extra fields are allowed. */
export const DataKeySchema = Type.Object({
  dtype: DtypeSchema,
  /** [] for scalars; null entries for dimensions of unknown or variable length. */
  shape: Type.Array(nullable(Type.Integer())),
  source: Type.String(),
  dims: Type.Optional(Type.Array(Type.String())),
  /** Where the data lives when not in the events: "FILESTORE:" (Resource/Datum), "STREAM:". */
  external: Type.Optional(Type.String({ pattern: "^[A-Z]+:?" })),
  dtype_numpy: Type.Optional(DtypeNumpySchema),
  units: Type.Optional(nullable(Type.String())),
  precision: Type.Optional(nullable(Type.Integer())),
  choices: Type.Optional(Type.Array(Type.String())),
  object_name: Type.Optional(Type.String()),
  limits: Type.Optional(LimitsSchema),
});
export type DataKey = Static<typeof DataKeySchema> & { [extra: string]: unknown };
