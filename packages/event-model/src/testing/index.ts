export { type UntilOptions, until, within } from "./deadline.ts";
export {
  assertValidReference,
  assertValidStream,
  referenceErrors,
  referenceSchema,
  referenceSchemaDir,
} from "./reference-schemas.ts";
