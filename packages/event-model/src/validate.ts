import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type {
  DocumentMap,
  DocumentName,
  LegacyDocumentMap,
  LegacyDocumentName,
} from "./documents.ts";
import { EventModelValidationError, type ValidationProblem } from "./errors.ts";
import { KEY_NAME_PATTERN } from "./schemas/common.ts";
import { documentSchemas } from "./schemas/index.ts";

type AnyDocumentName = DocumentName | LegacyDocumentName;
type AnyDocumentMap = DocumentMap & LegacyDocumentMap;

// strict: false because the event-model schemas combine properties with matching
// patternProperties, which Ajv's strict mode refuses (the Python validator accepts them).
const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true });
const compiled = new Map<AnyDocumentName, ValidateFunction>();

function validatorFor(name: AnyDocumentName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = documentSchemas[name];
    if (!schema) {
      throw new EventModelValidationError(String(name), [
        {
          path: "",
          message: `unknown document name; expected one of ${Object.keys(documentSchemas).join(", ")}`,
        },
      ]);
    }
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

/** Turns Ajv's errors into one line per problem, naming the field and what was expected. */
function describeErrors(errors: readonly ErrorObject[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // Sub-errors of a failed anyOf repeat what the anyOf line says; the anyOf line is kept.
    if (
      errors.some(
        (e) =>
          e.keyword === "anyOf" &&
          e !== error &&
          e.instancePath === error.instancePath &&
          error.schemaPath.startsWith(e.schemaPath.replace(/\/anyOf$/, "")) &&
          error.schemaPath !== e.schemaPath,
      )
    ) {
      continue;
    }
    const problem = describeError(error);
    const key = `${problem.path}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describeError(error: ErrorObject): ValidationProblem {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return {
        path: `${path}/${String(params["missingProperty"])}`,
        message: "required field is missing",
      };
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const rule =
        error.parentSchema && "patternProperties" in error.parentSchema
          ? `key names must be non-empty and contain no "." or "/" (pattern ${KEY_NAME_PATTERN})`
          : "this document type allows no extra keys";
      return { path: `${path}/${key}`, message: `unexpected key ${JSON.stringify(key)}: ${rule}` };
    }
    case "type":
      return { path, message: `must be ${String(params["type"])}` };
    case "enum":
      return { path, message: `must be one of ${JSON.stringify(params["allowedValues"])}` };
    case "const":
      return { path, message: `must be ${JSON.stringify(params["allowedValue"])}` };
    case "anyOf":
      return { path, message: `must match one of: ${alternatives(error.schema)}` };
    case "pattern":
      return { path, message: `must match the pattern ${String(params["pattern"])}` };
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

function alternatives(schema: unknown): string {
  if (!Array.isArray(schema)) return "the allowed forms";
  return schema
    .map((s: Record<string, unknown>) => {
      if ("const" in s) return JSON.stringify(s["const"]);
      if (s["$ref"]) return String(s["$ref"]).split("/").pop();
      if (s["pattern"]) return `${String(s["type"])} matching ${String(s["pattern"])}`;
      return String(s["type"] ?? "object");
    })
    .join(" | ");
}

/**
 * Checks `doc` against the schema of document `name`; throws an EventModelValidationError that
 * names the document, each offending field and what was expected.
 */
export function validateDocument<K extends AnyDocumentName>(
  name: K,
  doc: unknown,
): asserts doc is AnyDocumentMap[K] {
  const validate = validatorFor(name);
  if (!validate(doc)) {
    throw new EventModelValidationError(name, describeErrors(validate.errors ?? []));
  }
}

/** True when `doc` follows the schema of document `name`. */
export function isValidDocument<K extends AnyDocumentName>(
  name: K,
  doc: unknown,
): doc is AnyDocumentMap[K] {
  return validatorFor(name)(doc);
}
