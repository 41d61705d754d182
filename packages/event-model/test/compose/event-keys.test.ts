// The key sets of events and pages are checked against the descriptor even with validate: false
// (Python's compose_event always compares them); validate only governs the schema pass.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { composeRun } from "../../src/compose/run-bundle.ts";
import type { NamedDocument } from "../../src/documents.ts";
import { EventModelValidationError } from "../../src/errors.ts";
import type { DataKey } from "../../src/schemas/data-key.ts";
import { assertValidStream } from "../../src/testing/reference-schemas.ts";

const key: DataKey = { dtype: "number", shape: [], source: "SIM:det" };

function primary() {
  const run = composeRun();
  const desc = run.composeDescriptor({ name: "primary", data_keys: { det_I0: key, x: key } });
  return { run, desc };
}

function rejectsKeys(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EventModelValidationError, String(err));
    for (const part of parts) assert.ok(err.message.includes(part), err.message);
    return true;
  });
}

describe("event keys against the descriptor", () => {
  test("composeEvent with validate: false refuses data keys that differ, naming them", () => {
    const { desc } = primary();
    rejectsKeys(
      () =>
        desc.composeEvent({
          data: { det_i0: 1, x: 2 },
          timestamps: { det_i0: 0, x: 0 },
          validate: false,
        }),
      'missing ["det_I0"]',
      'unexpected ["det_i0"]',
    );
    rejectsKeys(
      () => desc.composeEvent({ data: { det_I0: 1 }, timestamps: { det_I0: 0 }, validate: false }),
      'missing ["x"]',
    );
    rejectsKeys(
      () =>
        desc.composeEvent({
          data: { det_I0: 1, x: 2 },
          timestamps: { det_I0: 0 },
          validate: false,
        }),
      "timestamps",
      'missing ["x"]',
    );
  });

  test("a refused event does not use up a seq_num; the stream stays valid", () => {
    const { run, desc } = primary();
    assert.throws(() =>
      desc.composeEvent({ data: { x: 1 }, timestamps: { x: 0 }, validate: false }),
    );
    const event = desc.composeEvent({
      data: { det_I0: 1, x: 2 },
      timestamps: { det_I0: 0, x: 0 },
      validate: false,
    });
    assert.equal(event.seq_num, 1);
    const stop = run.composeStop();
    const docs: NamedDocument[] = [
      ["start", run.startDoc],
      ["descriptor", desc.descriptorDoc],
      ["event", event],
      ["stop", stop],
    ];
    assertValidStream(docs);
    assert.deepEqual(stop.num_events, { primary: 1 });
  });

  test("composeEventPage with validate: false refuses columns that differ", () => {
    const { desc } = primary();
    rejectsKeys(
      () =>
        desc.composeEventPage({
          data: { det_I0: [1, 2], y: [3, 4] },
          timestamps: { det_I0: [0, 0], y: [0, 0] },
          validate: false,
        }),
      'missing ["x"]',
      'unexpected ["y"]',
    );
    const page = desc.composeEventPage({
      data: { det_I0: [1, 2], x: [3, 4] },
      timestamps: { det_I0: [0, 0], x: [0, 0] },
      validate: false,
    });
    assert.deepEqual(page.seq_num, [1, 2]);
  });
});
