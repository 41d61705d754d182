import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FileFormatError } from "../../src/errors.ts";
import { parseCsv } from "../../src/index.ts";

describe("parseCsv", () => {
  it("keeps commas, quotes and line breaks inside quoted cells", () => {
    assert.deepEqual(parseCsv('a,"b, c","say ""hi""\nthere"\r\n1,,3'), [
      ["a", "b, c", 'say "hi"\nthere'],
      ["1", "", "3"],
    ]);
  });

  it("ignores a byte-order mark and takes a quote inside a cell literally", () => {
    assert.deepEqual(parseCsv('\uFEFFname,size\nSi 5" wafer,2'), [
      ["name", "size"],
      ['Si 5" wafer', "2"],
    ]);
  });

  it("refuses text that ends inside a quoted cell", () => {
    assert.throws(() => parseCsv('a,b\n1,"open'), FileFormatError);
  });
});
