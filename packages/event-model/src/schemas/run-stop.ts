import { type Static, Type } from "@sinclair/typebox";
import { dataTypeRef, dict, KEY_NAME_PATTERN } from "./common.ts";

export const ExitStatusSchema = Type.Union([
  Type.Literal("success"),
  Type.Literal("abort"),
  Type.Literal("fail"),
]);
/** How a run ended. */
export type ExitStatus = Static<typeof ExitStatusSchema>;

/** The "stop" document: closes a run, with its exit status and event counts per stream. */
export const RunStopSchema = Type.Object(
  {
    uid: Type.String(),
    time: Type.Number(),
    run_start: Type.String(),
    exit_status: ExitStatusSchema,
    reason: Type.Optional(Type.String()),
    num_events: Type.Optional(dict(Type.Integer())),
    data_type: Type.Optional(dataTypeRef),
  },
  {
    // Unlike start and descriptor, only the top-level key names are restricted here.
    $defs: { DataType: {} },
    patternProperties: { [KEY_NAME_PATTERN]: dataTypeRef },
    additionalProperties: false,
  },
);
export type RunStop = Static<typeof RunStopSchema> & { [extra: string]: unknown };
