// The document streams behind the stored LiveTable fixtures.
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { linspace, simScan } from "./sim-run.ts";

/** scan([det], motor, -2, 2, 5) of the noiseless sim det, fixed uid and times. */
export function knownScan(pages = false): NamedDocument[] {
  return simScan({
    positions: linspace(-2, 2, 5),
    uid: "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
    pages,
  });
}

/**
 * A list_scan exercising LiveTable's formats: precision from the descriptor, integer, string and
 * boolean columns, a long field name, overflowing numbers, NaN, negative zero, a whole-second
 * time, a value that cannot be formatted, an array column (skipped) and a header reprint.
 */
export function formatsRun(): NamedDocument[] {
  const run = composeRun({
    uid: "c0ffee00-1111-2222-3333-444455556666",
    time: 1_700_000_000,
    metadata: { plan_type: "generator", plan_name: "list_scan", scan_id: 42 },
  });
  const docs: NamedDocument[] = [["start", run.startDoc]];
  const primary = run.composeDescriptor({
    name: "primary",
    time: 1_700_000_000.5,
    data_keys: {
      motor: { dtype: "number", shape: [], source: "SIM:motor", precision: 3 },
      det: { dtype: "number", shape: [], source: "SIM:det", precision: 5 },
      long_detector_name: { dtype: "integer", shape: [], source: "SIM:counts" },
      status: { dtype: "string", shape: [], source: "SIM:status" },
      shutter: { dtype: "boolean", shape: [], source: "SIM:shutter" },
      img: { dtype: "array", shape: [10, 10], source: "SIM:img", external: "FILESTORE:" },
    },
  });
  docs.push(["descriptor", primary.descriptorDoc]);
  const rows: [number, unknown, number, string, boolean][] = [
    [-10.5, 0.000012345, 0, "ok", true],
    [-0.0004, -1234.56789, 123456, "moving to the next position", false],
    [0.125, 0.5, -7, "", true],
    [1e6, Number.NaN, 42, "ok", false],
    [3.25, "oops", 1, "ok", true],
    [2, 1, 2, "done", true],
  ];
  let time = 1_700_000_001;
  for (const [motor, det, counts, status, shutter] of rows) {
    time += 1.25;
    const data = { motor, det, long_detector_name: counts, status, shutter, img: "datum-id" };
    const timestamps = Object.fromEntries(Object.keys(data).map((k) => [k, time]));
    // Not validated: "oops" is the kind of bad reading LiveTable must survive.
    docs.push([
      "event",
      primary.composeEvent({ data, timestamps, time, filled: { img: false }, validate: false }),
    ]);
  }
  docs.push(["stop", run.composeStop({ time: time + 1 })]);
  return docs;
}
