// A complete run (as upstream's test fixtures: a primary stream with an external image, a
// baseline stream, a resource with two datums) built with the composers, plus helpers.
import { composeRun } from "../../src/compose/run-bundle.ts";
import type { NamedDocument } from "../../src/documents.ts";
import type { Event } from "../../src/schemas/event.ts";
import type { EventDescriptor } from "../../src/schemas/event-descriptor.ts";
import type { Datum, Resource } from "../../src/schemas/resource.ts";
import type { RunStart } from "../../src/schemas/run-start.ts";
import type { RunStop } from "../../src/schemas/run-stop.ts";

export interface SampleRun {
  docs: NamedDocument[];
  start: RunStart;
  primary: EventDescriptor;
  baseline: EventDescriptor;
  resource: Resource;
  datums: Datum[];
  /** The primary events, whose `image` holds a datum_id with `filled.image === false`. */
  primaryEvents: Event[];
  baselineEvents: Event[];
  stop: RunStop;
}

/** The 5×5 image the DUMMY handler returns. */
export const IMAGE = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => 1));

export function sampleRun(options: { uid?: string; root?: string } = {}): SampleRun {
  const run = composeRun({ uid: options.uid, metadata: { plan_name: "count", scan_id: 1 } });
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: {
      motor: { dtype: "number", shape: [], source: "SIM:motor" },
      image: { dtype: "array", shape: [5, 5], source: "SIM:image", external: "FILESTORE:" },
      image_sum: { dtype: "number", shape: [], source: "SIM:image_sum" },
    },
  });
  const baseline = run.composeDescriptor({
    name: "baseline",
    data_keys: { motor: { dtype: "number", shape: [], source: "SIM:motor" } },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
    ["descriptor", baseline.descriptorDoc],
  ];
  const baselineEvents: Event[] = [];
  const primaryEvents: Event[] = [];
  const b1 = baseline.composeEvent({ data: { motor: 0 }, timestamps: { motor: 1 } });
  baselineEvents.push(b1);
  docs.push(["event", b1]);
  const resource = run.composeResource({
    spec: "DUMMY",
    root: options.root ?? "/data/root",
    resource_path: "stack.tiff",
    resource_kwargs: { a: 1 },
  });
  docs.push(["resource", resource.resourceDoc]);
  const datums: Datum[] = [];
  for (let i = 0; i < 2; i++) {
    const datum = resource.composeDatum({ datum_kwargs: { slice: i } });
    datums.push(datum);
    docs.push(["datum", datum]);
    const event = primary.composeEvent({
      data: { motor: i, image: datum.datum_id, image_sum: 25 },
      timestamps: { motor: 10 + i, image: 10 + i, image_sum: 10 + i },
      filled: { image: false },
    });
    primaryEvents.push(event);
    docs.push(["event", event]);
  }
  const b2 = baseline.composeEvent({ data: { motor: 2 }, timestamps: { motor: 20 } });
  baselineEvents.push(b2);
  docs.push(["event", b2]);
  const stop = run.composeStop();
  docs.push(["stop", stop]);
  return {
    docs,
    start: run.startDoc,
    primary: primary.descriptorDoc,
    baseline: baseline.descriptorDoc,
    resource: resource.resourceDoc,
    datums,
    primaryEvents,
    baselineEvents,
    stop,
  };
}

/** Documents as they are: a deep copy through JSON, for "unchanged" assertions. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

/** The documents of `docs` minus `filled`, recursively at top level of each (events and pages). */
export function withoutFilled<T extends object>(doc: T): Omit<T, "filled"> {
  const { filled: _filled, ...rest } = doc as T & { filled?: unknown };
  return rest;
}
