// Live callbacks and analysis: LiveTable rows/s (to a null sink), fits/s of a 1,000-point noisy
// Gaussian, and the time to render a 10,000-point plot to PNG.
import { fit, gaussian } from "@cerulean/analysis";
import { LiveTable, type LiveTableOptions, type PlotModel, renderPng } from "@cerulean/callbacks";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { quick, rate, report } from "./harness.ts";

function scanDocuments(rows: number): NamedDocument[] {
  const run = composeRun({ metadata: { plan_type: "generator", plan_name: "scan", scan_id: 1 } });
  const key = { dtype: "number" as const, shape: [], source: "SIM", precision: 3 };
  const primary = run.composeDescriptor({
    name: "primary",
    data_keys: { motor: key, motor_setpoint: key, det: key },
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
  ];
  for (let i = 0; i < rows; i++) {
    const m = -5 + (10 * i) / rows;
    const t = 1_700_000_000 + i * 0.1;
    docs.push([
      "event",
      primary.composeEvent({
        data: { motor: m, motor_setpoint: m, det: Math.exp((-m * m) / 2) },
        timestamps: { motor: t, motor_setpoint: t, det: t },
        time: t,
        validate: false,
      }),
    ]);
  }
  docs.push(["stop", run.composeStop()]);
  return docs;
}

const rows = quick ? 5_000 : 50_000;
const docs = scanDocuments(rows);
const nullSink: LiveTableOptions = { out: () => {} };
await rate("callbacks.live_table", "rows/s", rows, () => {
  const table = new LiveTable(["motor", "det"], nullSink);
  for (const doc of docs) table.callback(...doc);
});

let seed = 7;
const random = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const x = Array.from({ length: 1000 }, (_, i) => -5 + i * 0.01);
const y = x.map((v) => Math.exp(-((v - 0.3) ** 2) / 2) + 0.05 * (2 * random() - 1));
const fits = quick ? 5 : 30;
await rate("analysis.fit_gaussian_1000_points", "fits/s", fits, () => {
  for (let i = 0; i < fits; i++) {
    const result = fit(gaussian(), x, y);
    if (!result.success) throw new Error(`benchmark fit failed: ${result.reason}`);
  }
});

const n = 10_000;
const xs = Array.from({ length: n }, (_, i) => -5 + (10 * i) / n);
const plot: PlotModel = {
  title: "det vs motor",
  x: { label: "motor" },
  y: { label: "det" },
  series: [
    {
      kind: "line",
      label: "det",
      x: xs,
      y: xs.map((v) => Math.exp((-v * v) / 2) + 0.02 * Math.sin(v * 40)),
    },
  ],
  annotations: [],
  legend: true,
};
const times: number[] = [];
renderPng(plot);
for (let i = 0; i < (quick ? 3 : 7); i++) {
  const t0 = process.hrtime.bigint();
  renderPng(plot);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
report({
  name: "callbacks.png_render_10k_points",
  unit: "ms",
  n,
  value: times[Math.floor(times.length / 2)] ?? Number.NaN,
});
