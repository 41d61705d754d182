import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fillTemplate, safeFileName } from "../../src/core/file-template.ts";
import { FileTemplateError } from "../../src/errors.ts";

const start = {
  uid: "a1b2c3",
  time: 1_700_000_000.5,
  scan_id: 42,
  sample_name: "Si 111",
  sample: { name: "LaB6/NIST", position: [1, 2] },
  plan_name: "grid_scan",
  motors: ["x", "y"],
};

describe("file-name templates", () => {
  it("fills keys of the start document", () => {
    assert.equal(fillTemplate("{scan_id}-{sample_name}", start), "42-Si_111");
    assert.equal(fillTemplate("{uid}", start), "a1b2c3");
  });

  it("indexes nested members and accepts Python suitcase's {start[...]} form", () => {
    assert.equal(fillTemplate("{sample[name]}", start), "LaB6_NIST");
    assert.equal(fillTemplate("{start[plan_name]}-{start[motors]}", start), "grid_scan-x_y");
  });

  it("pads numbers and formats epoch seconds as UTC dates", () => {
    assert.equal(fillTemplate("scan{scan_id:05d}", start), "scan00042");
    assert.equal(fillTemplate("{time:%Y-%m-%d_%H%M%S}", start), "2023-11-14_221320");
  });

  it("keeps literal braces written twice", () => {
    assert.equal(fillTemplate("{{x}}-{scan_id}", start), "{x}-42");
  });

  it("names the missing key and what the start document has", () => {
    assert.throws(
      () => fillTemplate("{scan_id}-{proposal}", start),
      (err: Error) =>
        err instanceof FileTemplateError &&
        /needs "proposal"/.test(err.message) &&
        /scan_id/.test(err.message),
    );
    assert.throws(
      () => fillTemplate("{sample[mass]}", start),
      /needs "mass", which start\["sample"\]/,
    );
  });

  it("refuses templates that would leave the directory or are malformed", () => {
    assert.throws(() => fillTemplate("../{uid}", start), /path separator/);
    assert.throws(() => fillTemplate("{uid", start), /unmatched/);
    assert.throws(() => fillTemplate("{sample}", start), /an object; index into it/);
    assert.throws(() => fillTemplate("{sample_name:05d}", start), /not a number/);
    assert.throws(() => fillTemplate("{x}".repeat(1), { x: "y".repeat(300) }), /at most 200 bytes/);
  });

  it("never lets a value escape the directory or hide the file (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (value) => {
        const name = fillTemplate("run-{v}", { v: value });
        const unsafe = [...name].some((c) => c === "/" || c === "\\" || c.charCodeAt(0) < 0x20);
        assert.ok(!unsafe, `unsafe: ${JSON.stringify(name)}`);
        assert.ok(name.startsWith("run-"));
      }),
    );
    assert.equal(safeFileName(".."), "__");
    assert.equal(safeFileName('a:b*c?"d<e>f|g'), "a_b_c__d_e_f_g");
  });
});
