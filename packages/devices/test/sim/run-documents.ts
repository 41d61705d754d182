// A tiny stand-in for the RunEngine's bundling, so tests can check that what sim devices
// describe, read and emit makes documents the reference schemas accept.
import { type Configuration, composeRun, type DataKey } from "@cerulean/event-model";
import {
  isConfigurable,
  isTriggerable,
  isWritesExternalAssets,
  isWritesStreamAssets,
} from "../../src/index.ts";
import type { Readable } from "../../src/protocols/index.ts";

export type Doc = readonly [string, Record<string, unknown>];

/** One run of `steps` trigger-and-read points over `devices`; returns every document. */
export async function stepRun(devices: Readable[], steps: number): Promise<Doc[]> {
  const docs: Doc[] = [];
  const run = composeRun({ metadata: { plan_name: "test", scan_id: 1 } });
  docs.push(["start", run.startDoc]);
  const data_keys: Record<string, DataKey> = {};
  const configuration: Record<string, Configuration> = {};
  const object_keys: Record<string, string[]> = {};
  const hints: Record<string, { fields?: string[] }> = {};
  for (const device of devices) {
    const described = await device.describe();
    for (const [key, dk] of Object.entries(described))
      data_keys[key] = { ...dk, object_name: device.name };
    object_keys[device.name] = Object.keys(described);
    if (isConfigurable(device)) {
      const [readings, keys] = await Promise.all([
        device.readConfiguration(),
        device.describeConfiguration(),
      ]);
      configuration[device.name] = {
        data: Object.fromEntries(Object.entries(readings).map(([k, r]) => [k, r.value])),
        timestamps: Object.fromEntries(Object.entries(readings).map(([k, r]) => [k, r.timestamp])),
        data_keys: keys,
      };
    }
    const deviceHints = (device as { hints?: { fields?: string[] } }).hints;
    if (deviceHints) hints[device.name] = deviceHints;
  }
  const stream = run.composeDescriptor({
    name: "primary",
    data_keys,
    configuration,
    object_keys,
    hints,
  });
  docs.push(["descriptor", stream.descriptorDoc]);
  for (let seq = 1; seq <= steps; seq++) {
    for (const device of devices) if (isTriggerable(device)) await device.trigger();
    const data: Record<string, unknown> = {};
    const timestamps: Record<string, unknown> = {};
    const filled: Record<string, boolean> = {};
    for (const device of devices) {
      for (const [key, reading] of Object.entries(await device.read())) {
        data[key] = reading.value;
        timestamps[key] = reading.timestamp;
        if (data_keys[key]?.external) filled[key] = false;
      }
      if (isWritesStreamAssets(device)) {
        for await (const [name, doc] of device.collectAssetDocs()) {
          if (name === "stream_resource")
            docs.push([name, { ...doc, run_start: run.startDoc.uid }]);
          else {
            const width = doc.indices.stop - doc.indices.start;
            const seq_nums = { start: seq, stop: seq + width };
            docs.push([name, { ...doc, descriptor: stream.descriptorDoc.uid, seq_nums }]);
          }
        }
      } else if (isWritesExternalAssets(device)) {
        for await (const [name, doc] of device.collectAssetDocs()) {
          docs.push([name, name === "resource" ? { ...doc, run_start: run.startDoc.uid } : doc]);
        }
      }
    }
    docs.push(["event", stream.composeEvent({ data, timestamps, filled })]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}
