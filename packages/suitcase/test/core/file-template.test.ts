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

  it("formats negative numbers and floats as Python's format specs do", () => {
    // Expected values are Python 3's format(value, spec).
    const cases: [number, string, string][] = [
      [-3, "05d", "-0003"],
      [3, "05d", "00003"],
      [-3, "05", "-0003"],
      [-1.23456, "+.2f", "-1.23"],
      [1.23456, "+.2f", "+1.23"],
      [-3, ">6", "____-3"],
      [-1.23456, "06.2f", "-01.23"],
      [-1234567, ",d", "-1,234,567"],
      [-0.25, ".1%", "-25.0%"],
      [-12345.678, ".3e", "-1.235e+04"],
      [-3, "<05d", "-3000"],
      [-3, "x^7", "xx-3xxx"],
      [-3, "=6", "-____3"],
      [-0, ".1f", "-0.0"],
      [1234567, "_d", "1_234_567"],
    ];
    for (const [n, spec, expected] of cases) {
      // Spaces become "_" in file names.
      assert.equal(fillTemplate(`{n:${spec}}`, { uid: "u", n }), expected, `${n} with ${spec}`);
    }
    assert.throws(() => fillTemplate("{n:.2d}", { uid: "u", n: 3 }), /unknown format/);
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
