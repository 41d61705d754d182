export {
  assertValidReference,
  assertValidStream,
  referenceErrors,
  referenceSchema,
  referenceSchemaDir,
} from "./reference-schemas.ts";
