// Regenerates docs/liveplot.png, the picture in the README:
//   node --import tsx packages/callbacks/scripts/make-readme-plot.ts
// A simulated scan of noisy_det (SynGauss at 0.3, sigma 1, uniform noise 0.1) over motor, drawn by
// a LiveFitPlot (data + Gaussian fit) with the PeakStats centre and fwhm marked.
import { writeFileSync } from "node:fs";
import { composite, constant, gaussian } from "@cerulean/analysis";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { LiveFit, LiveFitPlot, PeakStats } from "../src/index.ts";

function noisyScan(): NamedDocument[] {
  let seed = 12345;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return (seed - 1) / 2147483646;
  };
  const run = composeRun({
    metadata: { plan_name: "scan", scan_id: 12, motors: ["motor"], detectors: ["noisy_det"] },
  });
  const key = { dtype: "number" as const, shape: [], source: "SIM", precision: 3 };
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: { motor: key, noisy_det: key },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
  ];
  for (let i = 0; i < 41; i++) {
    const motor = -5 + i * 0.25;
    const noisy_det = Math.exp(-((motor - 0.3) ** 2) / 2) + 0.1 * (2 * random() - 1);
    docs.push([
      "event",
      primary.composeEvent({ data: { motor, noisy_det }, timestamps: { motor: 0, noisy_det: 0 } }),
    ]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}

const fit = new LiveFit(composite(gaussian(), constant({ prefix: "bkg_" })), "noisy_det", {
  x: "motor",
});
const plot = new LiveFitPlot(fit, { title: "noisy_det vs motor (scan 12)" });
const stats = new PeakStats("motor", "noisy_det");
for (const doc of noisyScan()) {
  plot.callback(...doc);
  stats.callback(...doc);
}
const { cen, fwhm, crossings, max, min } = stats;
if (cen !== null && fwhm !== null && crossings && max && min) {
  plot.annotations = [
    { kind: "vline", value: cen, label: `cen=${cen.toFixed(3)}` },
    {
      kind: "span",
      from: crossings[0] ?? cen,
      to: crossings[crossings.length - 1] ?? cen,
      at: (max[1] + min[1]) / 2,
      label: `fwhm=${fwhm.toFixed(3)}`,
      color: "#2ca02c",
    },
  ];
}
const out = new URL("../docs/liveplot.png", import.meta.url);
writeFileSync(out, plot.toPng({ width: 800, height: 480 }));
const center = fit.result?.params["center"];
console.log(
  `wrote ${out.pathname}; fitted centre ${center?.toFixed(3)} +/- ${fit.result?.stderr["center"]?.toFixed(3)}`,
);
