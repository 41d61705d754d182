// The behaviour every serializer shares (STYLE rule 6): one suite, run against each format.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { composeRun } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import type { Serializer, SerializerOptions } from "../core/run-serializer.ts";
import { FileExistsError, FileTemplateError, SerializerStateError } from "../errors.ts";

/** How the contract suite drives one format. */
export interface SerializerContractAdapter {
  /** The format's name in test titles. */
  format: string;
  /** A serializer that hands every document to the operating system before returning. */
  create(options: SerializerOptions): Serializer | Promise<Serializer>;
  /** The seq_nums of the "primary" events found in the files, in file order. */
  readBack(files: readonly string[]): Promise<number[]>;
}

type End = "success" | "abort" | "fail" | "none";
type Doc = [string, Record<string, unknown>];

/** The first pixel of the contract run's image at a seq_num (so image formats can report it). */
export const CONTRACT_PIXEL_PER_SEQ = 100;

/**
 * A small scan (motor, det, a 3x4 uint16 image "cam") with `events` primary events and a baseline
 * stream, ending with a stop of the given exit status or, for "none", not at all.
 */
export function contractRun(
  events: number,
  end: End = "success",
  metadata: Record<string, unknown> = {},
): Doc[] {
  const run = composeRun({
    metadata: { scan_id: 42, sample: "Si 111", plan_name: "scan", ...metadata },
  });
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor: { dtype: "number", shape: [], source: "sim:motor" },
      det: { dtype: "number", shape: [], source: "sim:det" },
      cam: { dtype: "array", shape: [3, 4], source: "sim:cam", dtype_numpy: "<u2" },
    },
    hints: { det: { fields: ["det"] } },
  });
  const baseline = run.composeDescriptor({
    name: "baseline",
    data_keys: { ring_current: { dtype: "number", shape: [], source: "sim:ring" } },
  });
  const docs: Doc[] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
    ["descriptor", baseline.descriptorDoc],
    [
      "event",
      baseline.composeEvent({ data: { ring_current: 400 }, timestamps: { ring_current: 1 } }),
    ],
  ];
  for (let seq = 1; seq <= events; seq++) {
    const cam = Array.from({ length: 3 }, (_, r) =>
      Array.from({ length: 4 }, (_, c) => seq * CONTRACT_PIXEL_PER_SEQ + r * 4 + c),
    );
    docs.push([
      "event",
      primary.composeEvent({
        data: { motor: seq / 10, det: seq * 2.5, cam },
        timestamps: { motor: seq, det: seq, cam: seq },
      }),
    ]);
  }
  if (end !== "none")
    docs.push([
      "stop",
      run.composeStop({
        exit_status: end,
        ...(end === "success" ? {} : { reason: `${end}ed by the test` }),
      }),
    ]);
  return docs;
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "suitcase-contract-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Registers the shared serializer tests for one format. */
export function serializerContract(adapter: SerializerContractAdapter): void {
  const { format } = adapter;
  const write = async (
    t: TestContext,
    docs: readonly Doc[],
    options: Partial<SerializerOptions> = {},
  ) => {
    const serializer = await adapter.create({ directory: tempDir(t), ...options });
    for (const [name, doc] of docs) serializer(name, doc);
    return serializer;
  };

  describe(`${format} serializer (shared contract)`, () => {
    it("composes its test runs from documents valid under the upstream schemas", () => {
      assertValidStream(contractRun(3, "abort"));
    });

    it("names its files from the template filled from the start document", async (t) => {
      const serializer = await write(t, contractRun(2), { template: "{scan_id}-{sample}" });
      const files = await serializer.close();
      assert.ok(files.length > 0, "no file written");
      assert.deepEqual(files, [...serializer.files]);
      for (const file of files) {
        assert.ok(existsSync(file), `${file} is missing`);
        assert.ok(
          basename(file).startsWith("42-Si_111"),
          `${basename(file)} does not start with 42-Si_111`,
        );
      }
    });

    it("reads back every event of a complete run", async (t) => {
      const serializer = await write(t, contractRun(5));
      assert.equal(serializer.closed, true, "stop should close the serializer");
      assert.deepEqual(await adapter.readBack(await serializer.close()), range(5));
    });

    for (const exit of ["abort", "fail"] as const) {
      it(`leaves closed, readable files for a run that stops with exit_status "${exit}"`, async (t) => {
        const serializer = await write(t, contractRun(3, exit));
        assert.equal(serializer.closed, true);
        assert.deepEqual(await adapter.readBack(serializer.files), range(3));
      });
    }

    it("leaves readable files when the run dies without a stop and close() is called", async (t) => {
      const serializer = await write(t, contractRun(4, "none"));
      assert.equal(serializer.closed, false);
      assert.deepEqual(await adapter.readBack(await serializer.close()), range(4));
    });

    it("has each document in its files before the callback returns, while the run goes on", async (t) => {
      const docs = contractRun(6);
      const serializer = await adapter.create({ directory: tempDir(t) });
      for (const [name, doc] of docs.slice(0, 7)) serializer(name, doc);
      assert.deepEqual(await adapter.readBack(serializer.files), range(3));
      for (const [name, doc] of docs.slice(7)) serializer(name, doc);
      assert.deepEqual(await adapter.readBack(await serializer.close()), range(6));
    });

    it("refuses a second start and keeps the first run intact", async (t) => {
      const docs = contractRun(2, "none");
      const serializer = await write(t, docs);
      const other = contractRun(1)[0] as Doc;
      assert.throws(
        () => serializer("start", other[1]),
        (err: Error) => err instanceof SerializerStateError && /one run only/.test(err.message),
      );
      assert.deepEqual(await adapter.readBack(await serializer.close()), range(2));
    });

    it("refuses documents before the start", async (t) => {
      const serializer = await adapter.create({ directory: tempDir(t) });
      const [, descriptor] = contractRun(1)[1] as Doc;
      assert.throws(() => serializer("descriptor", descriptor), /expects a "start" document first/);
      assert.deepEqual(await serializer.close(), []);
    });

    it("closes idempotently and refuses documents after closing", async (t) => {
      const docs = contractRun(2, "none");
      const serializer = await write(t, docs);
      const first = await serializer.close();
      assert.deepEqual(await serializer.close(), first);
      assert.throws(() => serializer("event", (docs[4] as Doc)[1]), SerializerStateError);
    });

    it("never overwrites an existing file", async (t) => {
      const directory = tempDir(t);
      const docs = contractRun(1);
      const first = await adapter.create({ directory, template: "{scan_id}" });
      for (const [name, doc] of docs) first(name, doc);
      const second = await adapter.create({ directory, template: "{scan_id}" });
      assert.throws(() => {
        for (const [name, doc] of contractRun(1)) second(name, doc);
      }, FileExistsError);
      await second.close();
      assert.deepEqual(await adapter.readBack(first.files), range(1));
    });

    it("names the missing key when the template does not fit the start document", async (t) => {
      const serializer = await adapter.create({
        directory: tempDir(t),
        template: "{scan_id}-{sample_name}",
      });
      const [, start] = contractRun(1)[0] as Doc;
      assert.throws(
        () => serializer("start", start),
        (err: Error) =>
          err instanceof FileTemplateError &&
          /"sample_name"/.test(err.message) &&
          /sample/.test(err.message),
      );
      assert.deepEqual(await serializer.close(), []);
    });
  });
}
