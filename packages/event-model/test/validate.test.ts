import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventModelValidationError } from "../src/errors.ts";
import { isValidDocument, validateDocument } from "../src/validate.ts";
import { validDocuments } from "./fixtures.ts";

function messageOf(name: Parameters<typeof validateDocument>[0], doc: unknown): string {
  try {
    validateDocument(name, doc);
  } catch (err) {
    assert.ok(
      err instanceof EventModelValidationError,
      `expected EventModelValidationError, got ${String(err)}`,
    );
    assert.equal(err.documentName, name);
    return err.message;
  }
  assert.fail(`${name} document was accepted: ${JSON.stringify(doc)}`);
}

describe("validation errors name the document, the field and what was expected", () => {
  test("a missing uid", () => {
    const { uid: _uid, ...doc } = validDocuments.event;
    assert.equal(
      messageOf("event", doc),
      "invalid event document: /uid: required field is missing",
    );
  });

  test("a wrong type", () => {
    const msg = messageOf("event", { ...validDocuments.event, seq_num: "one" });
    assert.equal(msg, "invalid event document: /seq_num: must be integer");
  });

  test("an extra key in a closed document", () => {
    const msg = messageOf("datum", { ...validDocuments.datum, spec: "x" });
    assert.match(
      msg,
      /^invalid datum document: \/spec: unexpected key "spec": this document type allows no extra keys$/,
    );
  });

  test("a dotted metadata key", () => {
    const msg = messageOf("start", { ...validDocuments.start, "sample.name": "Si" });
    assert.match(
      msg,
      /\/sample\.name: unexpected key "sample\.name": key names must be non-empty and contain no "\." or "\/"/,
    );
  });

  test("a bad enum value", () => {
    const msg = messageOf("stop", { ...validDocuments.stop, exit_status: "ok" });
    assert.match(msg, /\/exit_status: must (be one of|match one of).*success.*abort.*fail/);
  });

  test("a bad nested value lists the alternatives once", () => {
    const doc = structuredClone(validDocuments.descriptor);
    (doc["data_keys"] as Record<string, Record<string, unknown>>)["det"]!["units"] = 3;
    const msg = messageOf("descriptor", doc);
    assert.equal(
      msg,
      "invalid descriptor document: /data_keys/det/units: must match one of: string | null",
    );
  });

  test("several problems are all reported", () => {
    const msg = messageOf("event", { descriptor: 1, data: {}, timestamps: {} });
    for (const part of [
      "/uid: required",
      "/seq_num: required",
      "/time: required",
      "/descriptor: must be string",
    ]) {
      assert.ok(msg.includes(part), `${part} not in: ${msg}`);
    }
  });

  test("a non-object document", () => {
    assert.equal(messageOf("stop", "stop"), "invalid stop document: (document): must be object");
    assert.equal(isValidDocument("stop", null), false);
  });

  test("an unknown document name", () => {
    assert.throws(
      () => validateDocument("evnt" as "event", {}),
      /invalid evnt document: .*unknown document name; expected one of start, descriptor/,
    );
  });
});
