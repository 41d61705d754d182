import type { Event, RunStart } from "@cerulean/event-model";
import type { PlotModel } from "./plot/plot-model.ts";
import { PlotCallback, type PlotOutputOptions } from "./plot-callback.ts";

export interface LiveScatterOptions extends PlotOutputOptions {
  xlim?: [number, number];
  ylim?: [number, number];
  /** Colour scale limits (default: the data's range). */
  clim?: [number, number];
  title?: string;
}

/**
 * Bluesky's LiveScatter: for 2-D scans on any pattern, each point at (x, y) coloured by I.
 * @example new LiveScatter("motor1", "motor2", "det4")
 */
export class LiveScatter extends PlotCallback {
  readonly x: string;
  readonly y: string;
  readonly intensity: string;
  readonly #options: LiveScatterOptions;
  #xs: number[] = [];
  #ys: number[] = [];
  #values: number[] = [];

  constructor(x: string, y: string, intensity: string, options: LiveScatterOptions = {}) {
    super(options);
    this.x = x;
    this.y = y;
    this.intensity = intensity;
    this.#options = options;
  }

  override start(_doc: RunStart): void {
    this.#xs = [];
    this.#ys = [];
    this.#values = [];
  }

  override event(doc: Event): void {
    const x = doc.data[this.x];
    const y = doc.data[this.y];
    const v = doc.data[this.intensity];
    if (typeof x !== "number" || typeof y !== "number" || typeof v !== "number") return;
    this.#xs.push(x);
    this.#ys.push(y);
    this.#values.push(v);
  }

  get plot(): PlotModel {
    const o = this.#options;
    const plot: PlotModel = {
      title: o.title ?? `${this.intensity} over ${this.x}, ${this.y}`,
      x: { label: this.x },
      y: { label: this.y },
      series: [
        {
          kind: "scatter",
          label: "",
          x: [...this.#xs],
          y: [...this.#ys],
          values: [...this.#values],
          ...(o.clim ? { colorRange: o.clim } : {}),
        },
      ],
      annotations: [],
      legend: false,
      colorbar: { label: this.intensity },
    };
    if (o.xlim) plot.x.range = o.xlim;
    if (o.ylim) plot.y.range = o.ylim;
    return plot;
  }
}
