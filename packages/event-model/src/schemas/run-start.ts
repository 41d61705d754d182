import { type Static, Type } from "@sinclair/typebox";
import { anyObject, dataTypeRef, dict, KEY_NAME_PATTERN, recursiveDataType } from "./common.ts";

const LinkedEventProjectionSchema = Type.Object({
  type: Type.Literal("linked"),
  location: Type.Literal("event"),
  stream: Type.String(),
  field: Type.String(),
});

const ConfigurationProjectionSchema = Type.Object({
  type: Type.Literal("linked"),
  location: Type.Literal("configuration"),
  stream: Type.String(),
  config_index: Type.Integer(),
  config_device: Type.String(),
  field: Type.String(),
});

const CalculationSchema = Type.Object({
  callable: Type.String(),
  args: Type.Optional(Type.Array(Type.Unknown())),
  kwargs: Type.Optional(anyObject),
});

const CalculatedEventProjectionSchema = Type.Object({
  type: Type.Literal("calculated"),
  location: Type.Literal("event"),
  stream: Type.String(),
  field: Type.String(),
  calculation: CalculationSchema,
});

const StaticProjectionSchema = Type.Object({
  type: Type.Literal("static"),
  value: Type.Unknown(),
});

/** Experimental: how to project a run onto a data model (event-model "projections"). */
export const ProjectionsSchema = Type.Object({
  name: Type.Optional(Type.String()),
  version: Type.String(),
  configuration: anyObject,
  projection: dict(
    Type.Union([
      ConfigurationProjectionSchema,
      LinkedEventProjectionSchema,
      CalculatedEventProjectionSchema,
      StaticProjectionSchema,
    ]),
  ),
});
export type Projections = Static<typeof ProjectionsSchema>;

/** Start-level hints; `dimensions` lists the independent axes, slow to fast. */
export const HintsSchema = Type.Object(
  {
    dimensions: Type.Optional(
      Type.Array(Type.Array(Type.Union([Type.Array(Type.String()), Type.String()]))),
    ),
  },
  { patternProperties: { "^([^.]+)$": dataTypeRef }, additionalProperties: false },
);
export type Hints = Static<typeof HintsSchema> & { [extra: string]: unknown };

/** The "start" document: opens a run and carries its metadata. */
export const RunStartSchema = Type.Object(
  {
    uid: Type.String(),
    time: Type.Number(),
    scan_id: Type.Optional(Type.Integer()),
    group: Type.Optional(Type.String()),
    owner: Type.Optional(Type.String()),
    project: Type.Optional(Type.String()),
    sample: Type.Optional(Type.Union([anyObject, Type.String()])),
    data_session: Type.Optional(Type.String()),
    data_groups: Type.Optional(Type.Array(Type.String())),
    hints: Type.Optional(HintsSchema),
    projections: Type.Optional(Type.Array(ProjectionsSchema)),
    data_type: Type.Optional(dataTypeRef),
  },
  {
    $defs: { DataType: recursiveDataType },
    patternProperties: { [KEY_NAME_PATTERN]: dataTypeRef },
    additionalProperties: false,
  },
);
/** The "start" document; any extra metadata key is allowed (subject to the key-name rule). */
export type RunStart = Static<typeof RunStartSchema> & { [metadata: string]: unknown };
