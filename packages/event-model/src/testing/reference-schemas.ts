// Validation against the upstream event-model schema files themselves, for tests: the files stay
// in shared/reference (beside the repository) and are read at test time, never copied here.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { DocumentName, LegacyDocumentName } from "../documents.ts";

const FILE_OF: Record<DocumentName | LegacyDocumentName, string> = {
  start: "run_start.json",
  stop: "run_stop.json",
  descriptor: "event_descriptor.json",
  event: "event.json",
  event_page: "event_page.json",
  resource: "resource.json",
  datum: "datum.json",
  datum_page: "datum_page.json",
  stream_resource: "stream_resource.json",
  stream_datum: "stream_datum.json",
  bulk_events: "bulk_events.json",
  bulk_datum: "bulk_datum.json",
};

/** The folder of the reference schemas: $CERULEAN_REFERENCE_SCHEMAS, or ../shared beside the repo. */
export function referenceSchemaDir(): string {
  const fromEnv = process.env["CERULEAN_REFERENCE_SCHEMAS"];
  if (fromEnv) return fromEnv;
  const repoRoot = resolve(new URL("../../../..", import.meta.url).pathname);
  const dir = join(repoRoot, "..", "shared", "reference", "event-model-schemas");
  if (!existsSync(dir)) {
    throw new Error(
      `reference event-model schemas not found at ${dir}; set CERULEAN_REFERENCE_SCHEMAS`,
    );
  }
  return dir;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const compiled = new Map<string, ValidateFunction>();

/** The upstream JSON schema of a document name, parsed from the reference file. */
export function referenceSchema(name: DocumentName | LegacyDocumentName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(referenceSchemaDir(), FILE_OF[name]), "utf8")) as Record<
    string,
    unknown
  >;
}

/** Validates with the upstream schema file; returns null when valid, else Ajv's error text. */
export function referenceErrors(
  name: DocumentName | LegacyDocumentName,
  doc: unknown,
): string | null {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(referenceSchema(name));
    compiled.set(name, validate);
  }
  return validate(doc) ? null : ajv.errorsText(validate.errors);
}

/** Throws unless `doc` is valid under the upstream schema file of `name`. */
export function assertValidReference(name: DocumentName | LegacyDocumentName, doc: unknown): void {
  const errors = referenceErrors(name, doc);
  if (errors !== null) {
    throw new Error(
      `${name} document rejected by the reference schema: ${errors}\n${JSON.stringify(doc).slice(0, 2000)}`,
    );
  }
}

/** Throws unless every `[name, doc]` pair is valid under the upstream schema files. */
export function assertValidStream(docs: Iterable<readonly [string, unknown]>): void {
  for (const [name, doc] of docs) {
    if (!(name in FILE_OF)) throw new Error(`unknown document name ${JSON.stringify(name)}`);
    assertValidReference(name as DocumentName, doc);
  }
}
