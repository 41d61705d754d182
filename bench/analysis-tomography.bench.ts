// Streaming filtered back-projection throughput (projections/s): the reconstruction alone at two
// detector widths (4 slices each), and the whole document path at 64 pixels (projection events
// in, a validated derived event carrying the current slice out per projection).

// Direct source imports until @cerulean/analysis's index exports the tomography module.
import { StreamingFbp, StreamingFbpCallback } from "@cerulean/analysis";
import { TomoPhantom } from "@cerulean/devices/sim";
import { composeRun, type DataKey, type Event } from "@cerulean/event-model";
import { quick, rate } from "./harness.ts";

const count = quick ? 45 : 180;
const slices = 4;
const angles = Array.from({ length: count }, (_, i) => (180 * i) / count);

for (const width of [64, 128]) {
  const phantom = new TomoPhantom({ size: width, slices });
  const projections = angles.map((angle) => phantom.projection(angle));
  await rate(`analysis-tomography.fbp_${width}px_${slices}slices`, "projections/s", count, () => {
    const fbp = new StreamingFbp({ width, slices });
    for (let i = 0; i < count; i++) fbp.addProjection(angles[i] ?? 0, projections[i] ?? []);
  });
}

// The parent run's documents, composed once; the callback's own composing is what is timed.
const width = 64;
const phantom = new TomoPhantom({ size: width, slices });
const run = composeRun({ metadata: { plan_name: "scan" } });
const keys: Record<string, DataKey> = {
  tomo_det: { dtype: "array", shape: [slices, width], source: "sim://tomo_det" },
  rot: { dtype: "number", shape: [], source: "sim://rot" },
};
const stream = run.composeDescriptor({ name: "primary", data_keys: keys });
const events: Event[] = angles.map((rot) =>
  stream.composeEvent({
    data: { tomo_det: phantom.projection(rot), rot },
    timestamps: { tomo_det: 0, rot: 0 },
  }),
);
const stop = run.composeStop();
await rate("analysis-tomography.callback_64px_every_projection", "projections/s", count, () => {
  let published = 0;
  const fbp = new StreamingFbpCallback({
    publish: () => {
      published++;
    },
  });
  fbp.route("start", run.startDoc);
  fbp.route("descriptor", stream.descriptorDoc);
  for (const event of events) fbp.route("event", event);
  fbp.route("stop", stop);
  if (published !== count + 3) throw new Error(`published ${published} documents`);
});
