// Spreadsheets (CSV) into plan items: Python literals read as data, never evaluated.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SpreadsheetError } from "../../src/errors.ts";
import { parsePythonArgs, parsePythonLiteral } from "../../src/spreadsheet/python-literal.ts";
import { spreadsheetToItems } from "../../src/spreadsheet/spreadsheet-items.ts";

describe("Python literals", () => {
  it("reads strings, numbers, constants, lists, tuples and dicts", () => {
    assert.deepEqual(parsePythonLiteral(`['det1', "det2"]`), ["det1", "det2"]);
    assert.deepEqual(parsePythonLiteral("(1, -2.5, 1e3,)"), [1, -2.5, 1000]);
    assert.deepEqual(parsePythonLiteral("{'a': True, 'b': [None, False]}"), {
      a: true,
      b: [null, false],
    });
    assert.equal(parsePythonLiteral(String.raw`'it\'s'`), "it's");
    assert.deepEqual(parsePythonArgs("['det'], 'motor', -1, 1"), [["det"], "motor", -1, 1]);
  });

  it("refuses names and expressions instead of evaluating them", () => {
    for (const text of ["__import__('os')", "det1", "1 + 1", "[1, 2", "'open"])
      assert.throws(() => parsePythonLiteral(text), SpreadsheetError, text);
  });
});

describe("CSV", () => {
  it("a file ending inside a quoted cell is refused with the file's name", () => {
    assert.throws(
      () => spreadsheetToItems("plans.csv", `plan_name,args\n'count',"['det']`),
      (err: Error) =>
        err instanceof SpreadsheetError &&
        /'plans\.csv' is not valid CSV: .*ends inside a quoted cell/.test(err.message),
    );
  });
});

describe("spreadsheet to items", () => {
  it("reads plan name, positional arguments and keyword columns; skips empty cells and rows", () => {
    const csv = [
      "plan_name,args,num,delay",
      `'count',"['det']",3,`,
      ",,,",
      `'scan',"['det'], 'motor', -1, 1",5,0.5`,
    ].join("\n");
    assert.deepEqual(spreadsheetToItems("plans.csv", csv), [
      { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 3 } },
      {
        item_type: "plan",
        name: "scan",
        args: [["det"], "motor", -1, 1],
        kwargs: { num: 5, delay: 0.5 },
      },
    ]);
  });

  it("names the file type, row and column of what it cannot read", () => {
    assert.throws(() => spreadsheetToItems("plans.xlsx", ""), /'.xlsx'|supported extensions/);
    assert.throws(
      () => spreadsheetToItems("p.csv", "plan_name,args,num\n'count',\"['det']\",os.system\n"),
      /row 2, column 'num'/,
    );
    assert.throws(
      () => spreadsheetToItems("p.csv", "plan_name\n3\n"),
      /plan name must be a string/,
    );
  });
});
