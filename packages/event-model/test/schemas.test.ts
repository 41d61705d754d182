// Our schemas (defined in our own code) against the upstream event-model schema files:
// the same documents accepted and the same rejected, on hand-picked edge cases and on random
// mutations of valid documents.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { DocumentName, LegacyDocumentName } from "../src/documents.ts";
import { documentSchemas } from "../src/schemas/index.ts";
import { referenceErrors } from "../src/testing/reference-schemas.ts";
import { isValidDocument } from "../src/validate.ts";
import { validDocuments } from "./fixtures.ts";

type Name = DocumentName | LegacyDocumentName;
const names = Object.keys(documentSchemas) as Name[];

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Asserts both validators give `expected` for `doc`. */
function agree(name: Name, doc: unknown, expected: boolean, label: string): void {
  const ours = isValidDocument(name, doc);
  const theirs = referenceErrors(name, doc) === null;
  assert.equal(theirs, expected, `reference verdict for ${name}: ${label}`);
  assert.equal(ours, theirs, `our verdict differs from the reference for ${name}: ${label}`);
}

function withChange(
  name: Name,
  change: (doc: Record<string, unknown>) => void,
): Record<string, unknown> {
  const doc = clone(validDocuments[name]);
  change(doc);
  return doc;
}

describe("document schemas match the reference event-model schemas", () => {
  test("every document name has a schema, and the fixtures are valid", () => {
    assert.equal(names.length, 12);
    for (const name of names) agree(name, validDocuments[name], true, "fixture");
  });

  test("a missing required field is rejected in every document", () => {
    const required: Record<Name, string[]> = {
      start: ["uid", "time"],
      descriptor: ["uid", "time", "run_start", "data_keys"],
      event: ["uid", "descriptor", "seq_num", "time", "data", "timestamps"],
      event_page: ["uid", "descriptor", "seq_num", "time", "data", "timestamps"],
      stop: ["uid", "time", "run_start", "exit_status"],
      resource: ["uid", "spec", "root", "resource_path", "resource_kwargs"],
      datum: ["datum_id", "resource", "datum_kwargs"],
      datum_page: ["datum_id", "resource", "datum_kwargs"],
      stream_resource: ["uid", "data_key", "mimetype", "uri", "parameters"],
      stream_datum: ["uid", "stream_resource", "descriptor", "indices", "seq_nums"],
      bulk_events: [],
      bulk_datum: ["resource", "datum_ids", "datum_kwarg_list"],
    };
    for (const name of names) {
      for (const field of required[name]) {
        agree(
          name,
          withChange(name, (d) => delete d[field]),
          false,
          `without ${field}`,
        );
      }
    }
  });

  test("closed documents refuse extra keys, open ones accept them", () => {
    const closed: Name[] = ["event", "event_page", "resource", "datum", "datum_page", "bulk_datum"];
    for (const name of names.filter((n) => n !== "bulk_events")) {
      agree(
        name,
        withChange(name, (d) => (d["extra_key"] = 1)),
        !closed.includes(name),
        "extra_key",
      );
    }
  });

  test("key names: dots and slashes rejected at the top of start, stop and descriptor", () => {
    for (const name of ["start", "stop", "descriptor"] as const) {
      for (const key of ["b.", "b.c", ".b", "a/b", ""]) {
        agree(
          name,
          withChange(name, (d) => (d[key] = 1)),
          false,
          `key ${JSON.stringify(key)}`,
        );
      }
      agree(
        name,
        withChange(name, (d) => (d["b"] = 1)),
        true,
        "key b",
      );
    }
  });

  test("key names: nested objects of start and descriptor follow the rule, arrays and stop's do not", () => {
    agree(
      "start",
      withChange("start", (d) => (d["md"] = { "a.b": 1 })),
      false,
      "nested dotted key",
    );
    agree(
      "start",
      withChange("start", (d) => (d["md"] = { a: { "x/y": 1 } })),
      false,
      "deep slashed key",
    );
    agree(
      "start",
      withChange("start", (d) => (d["md"] = [{ "a.b": 1 }])),
      true,
      "dotted key inside an array",
    );
    agree(
      "stop",
      withChange("stop", (d) => (d["md"] = { "a.b": 1 })),
      true,
      "nested dotted key in stop",
    );
    agree(
      "descriptor",
      withChange(
        "descriptor",
        (d) =>
          ((d["data_keys"] as Record<string, unknown>)["a.b"] = {
            dtype: "number",
            shape: [],
            source: "x",
          }),
      ),
      false,
      "dotted data key",
    );
    agree(
      "descriptor",
      withChange(
        "descriptor",
        (d) =>
          ((d["data_keys"] as Record<string, unknown>)["a:b"] = {
            dtype: "number",
            shape: [],
            source: "x",
          }),
      ),
      true,
      "colon data key",
    );
    agree(
      "descriptor",
      withChange("descriptor", (d) => (d["object_keys"] = { "x.y": 1 })),
      false,
      "dotted object key",
    );
    agree(
      "start",
      withChange("start", (d) => (d["hints"] = { "a.b": 1 })),
      false,
      "dotted hint key",
    );
  });

  test("start: sample, data_session, data_groups, scan_id types", () => {
    agree(
      "start",
      withChange("start", (d) => (d["sample"] = "Si")),
      true,
      "sample string",
    );
    agree(
      "start",
      withChange("start", (d) => (d["sample"] = 5)),
      false,
      "sample number",
    );
    agree(
      "start",
      withChange("start", (d) => (d["data_session"] = ["a"])),
      false,
      "data_session list",
    );
    agree(
      "start",
      withChange("start", (d) => (d["data_groups"] = "a")),
      false,
      "data_groups string",
    );
    agree(
      "start",
      withChange("start", (d) => (d["scan_id"] = 2.5)),
      false,
      "float scan_id",
    );
    agree(
      "start",
      withChange("start", (d) => (d["scan_id"] = 2.0)),
      true,
      "integral float scan_id",
    );
    agree(
      "start",
      withChange("start", (d) => (d["time"] = "now")),
      false,
      "time string",
    );
    agree(
      "start",
      withChange("start", (d) => (d["hints"] = { dimensions: [[["x"], "primary"]] })),
      true,
      "dimensions",
    );
    agree(
      "start",
      withChange("start", (d) => (d["hints"] = { dimensions: [["x", 1]] })),
      false,
      "dimensions number",
    );
  });

  test("start: projections of each kind and their required members", () => {
    const projection = (p: unknown) =>
      withChange(
        "start",
        (d) => (d["projections"] = [{ version: "1", configuration: {}, projection: { f: p } }]),
      );
    agree(
      "start",
      projection({
        type: "linked",
        location: "configuration",
        stream: "s",
        config_index: 0,
        config_device: "d",
        field: "f",
      }),
      true,
      "config",
    );
    agree(
      "start",
      projection({
        type: "calculated",
        location: "event",
        stream: "s",
        field: "f",
        calculation: { callable: "m.f" },
      }),
      true,
      "calculated",
    );
    agree(
      "start",
      projection({ type: "calculated", location: "event", stream: "s", field: "f" }),
      false,
      "calculated without calculation",
    );
    agree(
      "start",
      projection({ type: "linked", location: "event", field: "f" }),
      false,
      "linked without stream",
    );
    agree("start", projection({ type: "static" }), false, "static without value");
    agree(
      "start",
      withChange("start", (d) => (d["projections"] = [{ configuration: {}, projection: {} }])),
      false,
      "no version",
    );
  });

  test("stop: exit_status and num_events", () => {
    for (const status of ["success", "abort", "fail"]) {
      agree(
        "stop",
        withChange("stop", (d) => (d["exit_status"] = status)),
        true,
        status,
      );
    }
    agree(
      "stop",
      withChange("stop", (d) => (d["exit_status"] = "aborted")),
      false,
      "aborted",
    );
    agree(
      "stop",
      withChange("stop", (d) => (d["num_events"] = { primary: 1.5 })),
      false,
      "float count",
    );
  });

  test("data keys: dtype, shape, external, dtype_numpy, limits, units, precision", () => {
    const key = (change: (k: Record<string, unknown>) => void) =>
      withChange("descriptor", (d) =>
        change((d["data_keys"] as Record<string, Record<string, unknown>>)["det"] ?? {}),
      );
    agree(
      "descriptor",
      key((k) => (k["dtype"] = "object")),
      false,
      "dtype object",
    );
    agree(
      "descriptor",
      key((k) => (k["dtype"] = "integer")),
      true,
      "dtype integer",
    );
    agree(
      "descriptor",
      key((k) => (k["shape"] = null)),
      false,
      "shape null",
    );
    agree(
      "descriptor",
      key((k) => (k["shape"] = [null, 3])),
      true,
      "shape with null",
    );
    agree(
      "descriptor",
      key((k) => (k["shape"] = [1.5])),
      false,
      "float shape",
    );
    for (const external of ["FILESTORE:", "STREAM:", "FOO"])
      agree(
        "descriptor",
        key((k) => (k["external"] = external)),
        true,
        external,
      );
    agree(
      "descriptor",
      key((k) => (k["external"] = "filestore:")),
      false,
      "lowercase external",
    );
    for (const good of [
      ">u4",
      "<u4",
      "xx<f8yy",
      [
        ["a", "<u4"],
        ["b", ">u4"],
      ],
    ]) {
      agree(
        "descriptor",
        key((k) => (k["dtype_numpy"] = good)),
        true,
        `dtype_numpy ${JSON.stringify(good)}`,
      );
    }
    for (const bad of [
      "Z",
      "i",
      "i4",
      "4i",
      "i>4",
      ">i",
      ["a", "<u4"],
      [["a", "Z"]],
      [["a", "<u4", "x"]],
    ]) {
      agree(
        "descriptor",
        key((k) => (k["dtype_numpy"] = bad)),
        false,
        `dtype_numpy ${JSON.stringify(bad)}`,
      );
    }
    agree(
      "descriptor",
      key((k) => (k["units"] = null)),
      true,
      "units null",
    );
    agree(
      "descriptor",
      key((k) => (k["precision"] = 1.5)),
      false,
      "float precision",
    );
    agree(
      "descriptor",
      key((k) => (k["limits"] = { bogus: {} })),
      false,
      "unknown limits key",
    );
    agree(
      "descriptor",
      key((k) => (k["limits"] = { display: { low: 1 } })),
      false,
      "limits range without high",
    );
    agree(
      "descriptor",
      key(
        (k) =>
          (k["limits"] = { rds: { time_difference: 1, value_difference: 2 }, hysteresis: 0.1 }),
      ),
      true,
      "rds",
    );
    agree(
      "descriptor",
      key((k) => (k["choices"] = [1])),
      false,
      "numeric choices",
    );
    agree(
      "descriptor",
      key((k) => (k["lower_ctrl_limit"] = -5)),
      true,
      "extra data key field",
    );
  });

  test("descriptor: hints, object_classes, configuration", () => {
    agree(
      "descriptor",
      withChange("descriptor", (d) => (d["hints"] = { fields: "det" })),
      false,
      "hints.fields string",
    );
    agree(
      "descriptor",
      withChange("descriptor", (d) => (d["hints"] = { NX_class: "NXdetector" })),
      true,
      "NX_class",
    );
    agree(
      "descriptor",
      withChange("descriptor", (d) => (d["hints"] = { NX_class: "detector" })),
      false,
      "bad NX_class",
    );
    agree(
      "descriptor",
      withChange("descriptor", (d) => (d["object_classes"] = { det: 1 })),
      false,
      "object_classes number",
    );
    agree(
      "descriptor",
      withChange(
        "descriptor",
        (d) => (d["configuration"] = { det: { data_keys: { x: { dtype: "number" } } } }),
      ),
      false,
      "config data key without shape",
    );
  });

  test("events and pages: filled values, column types", () => {
    agree(
      "event",
      withChange("event", (d) => (d["filled"] = { det: 1 })),
      false,
      "numeric filled",
    );
    agree(
      "event",
      withChange("event", (d) => (d["seq_num"] = "1")),
      false,
      "string seq_num",
    );
    agree(
      "event_page",
      withChange("event_page", (d) => (d["data"] = { det: 1 })),
      false,
      "scalar column",
    );
    agree(
      "event_page",
      withChange("event_page", (d) => (d["seq_num"] = [1.5])),
      false,
      "float seq_num",
    );
    agree(
      "event_page",
      withChange("event_page", (d) => (d["data"] = { det: [1] })),
      true,
      "unequal columns pass the schema",
    );
    agree(
      "event_page",
      withChange("event_page", (d) => (d["time"] = new Float64Array([1, 2]))),
      false,
      "typed array time",
    );
  });

  test("resources, datums and streams", () => {
    agree(
      "resource",
      withChange("resource", (d) => delete d["run_start"]),
      true,
      "resource without run_start",
    );
    agree(
      "resource",
      withChange("resource", (d) => (d["path_semantics"] = "mac")),
      false,
      "bad path_semantics",
    );
    agree(
      "stream_datum",
      withChange("stream_datum", (d) => (d["indices"] = { start: 0, stop: 1.5 })),
      false,
      "float range",
    );
    agree(
      "stream_datum",
      withChange("stream_datum", (d) => (d["indices"] = { start: 0 })),
      false,
      "range without stop",
    );
    agree(
      "stream_resource",
      {
        uid: "sr",
        spec: "AD_HDF5",
        root: "/",
        resource_path: "a.h5",
        resource_kwargs: {},
        data_key: "img",
      },
      false,
      "pre-1.21 stream resource",
    );
    agree("bulk_events", { primary: [{ uid: "e" }] }, false, "bulk event without fields");
  });
});

/** Random JSON values, including the awkward ones (nested objects with dotted keys, nulls). */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, 0, 1, -1, 2.5, "", "x", "success", "STREAM:", "<f8", "NXdata"),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 6 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom("a", "a.b", "c/d", "start", "stop", "low", "high", "fields"),
      tie("value"),
      { maxKeys: 3 },
    ),
  ),
})).value;

/** A path into a document: the keys to walk, then a new value or a deletion. */
const mutation = fc.record({
  depth: fc.integer({ min: 0, max: 3 }),
  picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  key: fc.constantFrom(
    "uid",
    "time",
    "data",
    "shape",
    "dtype",
    "x.y",
    "extra",
    "seq_num",
    "start",
    "name",
    "0",
  ),
  value: jsonValue,
  remove: fc.boolean(),
});

type Mutation = {
  depth: number;
  picks: number[];
  key: string;
  value: unknown;
  remove: boolean;
};

function mutate(doc: Record<string, unknown>, m: Mutation): void {
  const { depth, picks, key, value, remove } = m;
  let target: Record<string, unknown> = doc;
  for (let i = 0; i < depth; i++) {
    const children = Object.values(target).filter(
      (v): v is Record<string, unknown> => typeof v === "object" && v !== null,
    );
    const next = children[(picks[i] ?? 0) % Math.max(children.length, 1)];
    if (!next) break;
    target = next;
  }
  const keys = Object.keys(target);
  const existing = keys[(picks[3] ?? 0) % Math.max(keys.length, 1)];
  if (remove && existing !== undefined) delete target[existing];
  else if (Array.isArray(target)) target[0] = value;
  else target[existing !== undefined && (picks[0] ?? 0) % 2 ? existing : key] = value;
}

describe("random mutations of valid documents get the same verdict from both schemas", () => {
  for (const name of names) {
    test(name, () => {
      let rejected = 0;
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          const doc = clone(validDocuments[name]);
          for (const m of mutations) mutate(doc, m);
          const theirs = referenceErrors(name, doc) === null;
          if (!theirs) rejected++;
          assert.equal(isValidDocument(name, doc), theirs, JSON.stringify(doc));
        }),
        { numRuns: 400, seed: 4242 },
      );
      // The mutations must exercise rejection, or the agreement proves little.
      assert.ok(rejected > 20, `only ${rejected} of 400 mutated ${name} documents were invalid`);
    });
  }
});
