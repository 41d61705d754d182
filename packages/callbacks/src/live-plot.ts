import type { Event, RunStart } from "@cerulean/event-model";
import type { Annotation, LineSeries, PlotModel } from "./plot/plot-model.ts";
import { PlotCallback, type PlotOutputOptions } from "./plot-callback.ts";

export interface LivePlotOptions extends PlotOutputOptions {
  /** The x field; default the events' seq_num, as Bluesky's LivePlot; "time" is seconds since the start. */
  x?: string;
  /** Start-document keys naming each run's line (default ["scan_id"]). */
  legendKeys?: string[];
  xlim?: [number, number];
  ylim?: [number, number];
  title?: string;
  /** Lines of earlier runs kept on the plot (default 5; 1 shows only the current run). */
  maxRuns?: number;
  /** Marker and line style of the data (default: points joined by lines). */
  marker?: LineSeries["marker"];
}

interface RunLine {
  label: string;
  startTime: number;
  x: number[];
  y: number[];
}

/**
 * Bluesky's LivePlot: y (and x, or seq_num) of every event that has them, one line per run,
 * earlier runs kept for comparison. Read `plot` for the model, or render it.
 * @example const lp = new LivePlot("det", { x: "motor", pngPath: "det.png" });
 */
export class LivePlot extends PlotCallback {
  readonly y: string;
  readonly x: string;
  readonly #options: LivePlotOptions;
  #runs: RunLine[] = [];
  /** Annotations shown over the data (peak centre, fwhm...), replaced by whoever sets them. */
  annotations: Annotation[] = [];

  constructor(y: string, options: LivePlotOptions = {}) {
    super(options);
    this.y = y;
    this.x = options.x ?? "seq_num";
    this.#options = options;
  }

  override start(doc: RunStart): void {
    const keys = this.#options.legendKeys ?? ["scan_id"];
    const label = keys.map((k) => `${k}=${String(doc[k] ?? "?")}`).join(" :: ");
    this.#runs.push({ label, startTime: doc.time, x: [], y: [] });
    const keep = Math.max(1, this.#options.maxRuns ?? 5);
    if (this.#runs.length > keep) this.#runs.splice(0, this.#runs.length - keep);
    this.annotations = [];
  }

  override event(doc: Event): void {
    const run = this.#runs[this.#runs.length - 1];
    if (!run) return;
    const y = doc.data[this.y];
    const x =
      this.x === "seq_num"
        ? doc.seq_num
        : this.x === "time" && !("time" in doc.data)
          ? doc.time - run.startTime
          : doc.data[this.x];
    if (typeof y !== "number" || typeof x !== "number") return;
    run.x.push(x);
    run.y.push(y);
  }

  /** The data of the current (last) run. */
  get current(): { x: readonly number[]; y: readonly number[] } {
    const run = this.#runs[this.#runs.length - 1];
    return { x: run?.x ?? [], y: run?.y ?? [] };
  }

  get plot(): PlotModel {
    const plot: PlotModel = {
      title: this.#options.title ?? `${this.y} vs ${this.x}`,
      x: { label: this.x },
      y: { label: this.y },
      series: this.#runs.map((run) => ({
        kind: "line" as const,
        label: run.label,
        x: [...run.x],
        y: [...run.y],
        ...(this.#options.marker ? { marker: this.#options.marker } : {}),
      })),
      annotations: [...this.annotations],
      legend: true,
    };
    if (this.#options.xlim) plot.x.range = this.#options.xlim;
    if (this.#options.ylim) plot.y.range = this.#options.ylim;
    return plot;
  }
}
