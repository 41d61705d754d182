import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, it } from "node:test";
import { composeRun, type DataKey, UnfilledData } from "@cerulean/event-model";
import fc from "fast-check";
import { csvLine, parseCsv } from "../../src/csv/csv-cells.ts";
import { createCsvSerializer } from "../../src/csv/csv-serializer.ts";
import { type Doc, detAt, feed, scalarRun, tempDir } from "../fixtures.ts";

describe("CSV serializer", () => {
  it("writes one file per stream with time, the scalar keys and seq_num", async (t) => {
    const serializer = createCsvSerializer({ directory: tempDir(t), template: "{scan_id}" });
    feed(serializer, scalarRun({ events: 4, image: [2, 2] }));
    const files = await serializer.close();
    assert.deepEqual(
      files.map((f) => basename(f)),
      ["42-primary.csv", "42-baseline.csv"],
    );
    const [header, ...rows] = parseCsv(readFileSync(files[0] as string, "utf8"));
    assert.deepEqual(
      header,
      ["time", "motor", "det", "label", "flag", "count", "seq_num"],
      "arrays are left out",
    );
    assert.equal(rows.length, 4);
    rows.forEach((row, i) => {
      const seq = i + 1;
      assert.equal(Number(row[0]), 1_700_000_000 + seq);
      assert.equal(Number(row[1]), seq * 0.1);
      assert.equal(Number(row[2]), detAt(seq));
      assert.equal(row[3], seq % 2 ? `point ${seq}, "odd" µm 🧪` : `point ${seq}\nsecond line`);
      assert.equal(row[4], seq % 2 === 0 ? "True" : "False");
      assert.equal(Number(row[5]), seq * 1000);
      assert.equal(Number(row[6]), seq);
    });
    const baseline = parseCsv(readFileSync(files[1] as string, "utf8"));
    assert.deepEqual(
      baseline.map((r) => r[1]),
      ["temperature", "295.5", "296.25"],
    );
  });

  it("spells NaN and infinities as pandas reads them and leaves missing values empty", async (t) => {
    const run = composeRun();
    const d = run.composeDescriptor({
      name: "primary",
      data_keys: { x: { dtype: "number", shape: [], source: "s" } },
    });
    const docs: Doc[] = [
      ["start", run.startDoc],
      ["descriptor", d.descriptorDoc],
    ];
    for (const x of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-7,
      1e21,
      0.1 + 0.2,
    ]) {
      docs.push(["event", d.composeEvent({ data: { x }, timestamps: { x: 0 }, time: 1 })]);
    }
    docs.push([
      "event",
      d.composeEvent({ data: { x: null }, timestamps: { x: 0 }, time: 1, validate: false }),
    ]);
    const serializer = createCsvSerializer({ directory: tempDir(t) });
    feed(serializer, docs);
    const text = readFileSync((await serializer.close())[0] as string, "utf8");
    assert.deepEqual(
      parseCsv(text).map((r) => r[1]),
      ["x", "NaN", "inf", "-inf", "1e-7", "1e+21", "0.30000000000000004", ""],
    );
  });

  it("gives no file to a stream without scalar keys", async (t) => {
    const run = composeRun();
    const d = run.composeDescriptor({
      name: "images",
      data_keys: { cam: { dtype: "array", shape: [2, 2], source: "s" } },
    });
    const serializer = createCsvSerializer({ directory: tempDir(t) });
    feed(serializer, [
      ["start", run.startDoc],
      ["descriptor", d.descriptorDoc],
      [
        "event",
        d.composeEvent({
          data: {
            cam: [
              [1, 2],
              [3, 4],
            ],
          },
          timestamps: { cam: 0 },
        }),
      ],
      ["stop", run.composeStop()],
    ]);
    assert.deepEqual(await serializer.close(), []);
  });

  it("keeps data keys named time and seq_num beside the writer's own columns", async (t) => {
    const run = composeRun({ metadata: { scan_id: 3 } });
    const number: DataKey = { dtype: "number", shape: [], source: "s" };
    const d = run.composeDescriptor({
      name: "primary",
      data_keys: { time: number, seq_num: number, "data:time": number },
    });
    const serializer = createCsvSerializer({ directory: tempDir(t), template: "{scan_id}" });
    feed(serializer, [
      ["start", run.startDoc],
      ["descriptor", d.descriptorDoc],
      [
        "event",
        d.composeEvent({
          data: { time: 5.5, seq_num: 99, "data:time": 7 },
          timestamps: { time: 0, seq_num: 0, "data:time": 0 },
          time: 123.25,
        }),
      ],
      ["stop", run.composeStop()],
    ]);
    const [file] = await serializer.close();
    const [header, row] = parseCsv(readFileSync(file as string, "utf8"));
    assert.ok(header && row);
    assert.equal(new Set(header).size, header.length, `headers repeat: ${header.join(",")}`);
    // Read by header, as pandas does.
    const record = Object.fromEntries(header.map((h, i) => [h, Number(row[i])]));
    assert.deepEqual(record, {
      time: 123.25,
      seq_num: 1,
      "data:time-2": 5.5,
      "data:seq_num": 99,
      "data:time": 7,
    });
  });

  it("gives streams whose names differ only in unsafe characters their own files", async (t) => {
    const run = composeRun({ metadata: { scan_id: 3 } });
    const streams = ["det:a", "det/a", "det_a"].map((name) =>
      run.composeDescriptor({
        name,
        data_keys: { v: { dtype: "number", shape: [], source: "s" } },
      }),
    );
    const serializer = createCsvSerializer({ directory: tempDir(t), template: "{scan_id}" });
    feed(serializer, [
      ["start", run.startDoc],
      ...streams.map((d): Doc => ["descriptor", d.descriptorDoc]),
      ...streams.map(
        (d, i): Doc => ["event", d.composeEvent({ data: { v: i }, timestamps: { v: 0 } })],
      ),
      ["stop", run.composeStop()],
    ]);
    const files = await serializer.close();
    assert.deepEqual(
      files.map((f) => basename(f)),
      ["3-det_a.csv", "3-det_a-2.csv", "3-det_a-3.csv"],
    );
    files.forEach((f, i) => {
      assert.equal(parseCsv(readFileSync(f, "utf8"))[1]?.[1], String(i), `${f} holds its stream`);
    });
  });

  it("refuses unfilled external scalars instead of writing datum ids as values", async (t) => {
    const run = composeRun();
    const d = run.composeDescriptor({
      name: "primary",
      data_keys: { x: { dtype: "number", shape: [], source: "s", external: "FILESTORE:" } },
    });
    const serializer = createCsvSerializer({ directory: tempDir(t) });
    feed(serializer, [
      ["start", run.startDoc],
      ["descriptor", d.descriptorDoc],
    ]);
    const event = d.composeEvent({
      data: { x: "resource/0" },
      timestamps: { x: 0 },
      filled: { x: false },
    });
    assert.throws(
      () => serializer("event", event),
      (err: Error) => err instanceof UnfilledData && /"x" of event seq_num 1/.test(err.message),
    );
    await serializer.close();
  });

  it("quotes any text so that it parses back unchanged (property)", () => {
    const cell = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((r) => csvLine(r)).join("");
          const back = parseCsv(text);
          assert.equal(back.length, rows.length);
          rows.forEach((row, i) => {
            row.forEach((value, j) => {
              const got = back[i]?.[j];
              if (typeof value === "string") assert.equal(got, value);
              else if (typeof value === "number")
                assert.ok(
                  Object.is(parseNumber(got), value) || (value === 0 && parseNumber(got) === 0),
                );
              else if (typeof value === "boolean") assert.equal(got, value ? "True" : "False");
              else assert.equal(got, "");
            });
          });
        },
      ),
    );
  });
});

function parseNumber(text: string | undefined): number {
  if (text === "NaN") return Number.NaN;
  if (text === "inf") return Number.POSITIVE_INFINITY;
  if (text === "-inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}
