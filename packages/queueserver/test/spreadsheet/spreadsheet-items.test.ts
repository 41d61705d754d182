// Spreadsheets (CSV, Excel) into plan items: Python literals read as data, never evaluated.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import writeXlsxFile from "write-excel-file/node";
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
  it("a file ending inside a quoted cell is refused with the file's name", async () => {
    await assert.rejects(
      spreadsheetToItems("plans.csv", `plan_name,args\n'count',"['det']`),
      (err: Error) =>
        err instanceof SpreadsheetError &&
        /'plans\.csv' is not valid CSV: .*ends inside a quoted cell/.test(err.message),
    );
  });
});

describe("spreadsheet to items", () => {
  it("reads plan name, positional arguments and keyword columns; skips empty cells and rows", async () => {
    const csv = [
      "plan_name,args,num,delay",
      `'count',"['det']",3,`,
      ",,,",
      `'scan',"['det'], 'motor', -1, 1",5,0.5`,
    ].join("\n");
    assert.deepEqual(await spreadsheetToItems("plans.csv", csv), [
      { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 3 } },
      {
        item_type: "plan",
        name: "scan",
        args: [["det"], "motor", -1, 1],
        kwargs: { num: 5, delay: 0.5 },
      },
    ]);
  });

  it("names the file type, row and column of what it cannot read", async () => {
    await assert.rejects(spreadsheetToItems("plans.ods", ""), /supported extensions are/);
    await assert.rejects(
      spreadsheetToItems("plans.xlsx", "not a zip"),
      /'plans\.xlsx' is not a readable Excel workbook/,
    );
    await assert.rejects(
      spreadsheetToItems("p.csv", "plan_name,args,num\n'count',\"['det']\",os.system\n"),
      /row 2, column 'num'/,
    );
    await assert.rejects(
      spreadsheetToItems("p.csv", "plan_name\n3\n"),
      /plan name must be a string/,
    );
  });

  it("takes a plan name written bare, as people type it", async () => {
    assert.deepEqual(await spreadsheetToItems("p.csv", "plan_name,args,num\ncount,,2\n"), [
      { item_type: "plan", name: "count", args: [], kwargs: { num: 2 } },
    ]);
  });
});

describe("Excel workbooks (.xlsx)", () => {
  it("reads the first sheet: typed numbers and booleans, text cells as literals", async () => {
    const workbook = await writeXlsxFile([
      ["plan_name", "args", "num", "delay", "md"],
      ["count", "['det1', 'det2']", 3, null, "{'sample': 'Si', 'cold': True}"],
      [null, null, null, null, null],
      ["scan", "['det'], 'motor', -1, 1", 11, 0.25, null],
      ["count", "['det']", 1, true, null],
    ]).toBuffer();
    assert.deepEqual(await spreadsheetToItems("Plans.XLSX", workbook), [
      {
        item_type: "plan",
        name: "count",
        args: [["det1", "det2"]],
        kwargs: { num: 3, md: { sample: "Si", cold: true } },
      },
      {
        item_type: "plan",
        name: "scan",
        args: [["det"], "motor", -1, 1],
        kwargs: { num: 11, delay: 0.25 },
      },
      { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 1, delay: true } },
    ]);
  });

  it("names the row and column of a cell it cannot read", async () => {
    const workbook = await writeXlsxFile([
      ["plan_name", "args"],
      ["count", "['det'"],
    ]).toBuffer();
    await assert.rejects(spreadsheetToItems("p.xlsx", workbook), /row 2, column 'args'/);
  });
});
