import { type Static, Type } from "@sinclair/typebox";
import { anyObject, dataTypeRef, dict, KEY_NAME_PATTERN, recursiveDataType } from "./common.ts";
import { DataKeySchema } from "./data-key.ts";

/** The configuration readings of one device, recorded once per descriptor. */
export const ConfigurationSchema = Type.Object({
  data: Type.Optional(anyObject),
  timestamps: Type.Optional(anyObject),
  data_keys: Type.Optional(dict(DataKeySchema)),
});
export type Configuration = Static<typeof ConfigurationSchema> & { [extra: string]: unknown };

/** Hints of one device: which of its fields matter most (and its NeXus class). */
export const PerObjectHintSchema = Type.Object({
  fields: Type.Optional(Type.Array(Type.String())),
  NX_class: Type.Optional(Type.String({ pattern: "^NX[A-Za-z_]+$" })),
});
export type PerObjectHint = Static<typeof PerObjectHintSchema> & { [extra: string]: unknown };

/** The "descriptor" document: the schema of the events of one stream of a run. */
export const EventDescriptorSchema = Type.Object(
  {
    uid: Type.String(),
    time: Type.Number(),
    run_start: Type.String(),
    data_keys: dict(DataKeySchema),
    name: Type.Optional(Type.String()),
    configuration: Type.Optional(dict(ConfigurationSchema)),
    object_keys: Type.Optional(anyObject),
    object_classes: Type.Optional(dict(Type.String())),
    /** Validated as one PerObjectHint; in practice `{device: {fields: [...]}}`. */
    hints: Type.Optional(Type.Unsafe<Record<string, PerObjectHint>>(PerObjectHintSchema)),
  },
  {
    $defs: { DataType: recursiveDataType },
    patternProperties: { [KEY_NAME_PATTERN]: dataTypeRef },
    additionalProperties: false,
  },
);
export type EventDescriptor = Static<typeof EventDescriptorSchema> & { [extra: string]: unknown };
