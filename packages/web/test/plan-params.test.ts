// The form model of public/lib/plan-params.js (plain browser JS without DOM use, so node runs
// it): fields from a plan description, validation, args/kwargs, and the edit round trip.
import assert from "node:assert/strict";
import { test } from "node:test";

interface Field {
  name: string;
  kindName: string;
  widget: string;
  required: boolean;
  choices: string[];
  defaultText: string;
}
interface PlanParams {
  fieldsOf(plan: unknown, devices: Record<string, unknown>): Field[];
  buildCall(
    fields: Field[],
    values: Record<string, string | string[]>,
  ): { errors: Record<string, string>; args: unknown[]; kwargs: Record<string, unknown> };
  valuesOf(fields: Field[], item: unknown): Record<string, string | string[]>;
  defaultValues(fields: Field[]): Record<string, string | string[]>;
  itemSummary(item: unknown): string;
}

// A variable specifier keeps TypeScript from resolving the untyped .js module.
const modulePath = "../public/lib/plan-params.js";
const pp = (await import(modulePath)) as PlanParams;

const devices = {
  det: { is_readable: true, is_movable: false },
  motor: { is_readable: true, is_movable: true },
  shutter: { is_readable: false, is_movable: true },
};
const kind = (name: string, value: number) => ({ name, value });
const scan = {
  name: "scan",
  parameters: [
    {
      name: "detectors",
      kind: kind("POSITIONAL_OR_KEYWORD", 1),
      annotation: { type: "list[__READABLE__]" },
    },
    { name: "args", kind: kind("VAR_POSITIONAL", 2) },
    {
      name: "num",
      kind: kind("KEYWORD_ONLY", 3),
      annotation: { type: "int | None" },
      default: "None",
      default_value: null,
      min: 1,
    },
    {
      name: "mode",
      kind: kind("KEYWORD_ONLY", 3),
      enum: ["fast", "slow"],
      default: "'fast'",
      default_value: "fast",
    },
    {
      name: "md",
      kind: kind("KEYWORD_ONLY", 3),
      annotation: { type: "dict | None" },
      default: "None",
      default_value: null,
    },
  ],
};

test("fields follow the description: device choices by kind, enums, defaults, required", () => {
  const fields = pp.fieldsOf(scan, devices);
  const by = Object.fromEntries(fields.map((f) => [f.name, f]));
  assert.deepEqual(by["detectors"]?.choices, ["det", "motor"]);
  assert.equal(by["detectors"]?.widget, "devices");
  assert.equal(by["detectors"]?.required, true);
  assert.equal(by["num"]?.widget, "number");
  assert.equal(by["num"]?.required, false);
  assert.deepEqual(by["mode"]?.choices, ["fast", "slow"]);
  assert.equal(by["mode"]?.defaultText, "fast");
  assert.equal(by["args"]?.required, false);
});

test("invalid values are reported per field and valid ones build args and kwargs", () => {
  const fields = pp.fieldsOf(scan, devices);
  const bad = pp.buildCall(fields, {
    detectors: [],
    args: "{}",
    num: "0",
    mode: "medium",
    md: "[1]",
  });
  assert.deepEqual(Object.keys(bad.errors).sort(), ["args", "detectors", "md", "mode", "num"]);
  assert.match(bad.errors["num"] ?? "", /≥ 1/);
  const good = pp.buildCall(fields, {
    detectors: ["det"],
    args: '["motor", -1, 1]',
    num: "5",
    mode: "slow",
    md: '{"sample": "Si"}',
  });
  assert.deepEqual(good.errors, {});
  assert.deepEqual(good.args, [["det"], "motor", -1, 1]);
  assert.deepEqual(good.kwargs, { num: 5, mode: "slow", md: { sample: "Si" } });
});

test("an item fills the form back (edit) and rebuilds to the same call", () => {
  const fields = pp.fieldsOf(scan, devices);
  const item = { name: "scan", args: [["det"], "motor", -2, 2], kwargs: { num: 11 } };
  const values = pp.valuesOf(fields, item);
  assert.deepEqual(values["detectors"], ["det"]);
  assert.equal(values["args"], '["motor",-2,2]');
  const call = pp.buildCall(fields, values);
  assert.deepEqual(call.args, item.args);
  assert.deepEqual(call.kwargs, { num: 11 });
  assert.equal(pp.itemSummary(item), 'scan(["det"], "motor", -2, 2, num=11)');
});
