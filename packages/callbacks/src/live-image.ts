import type { Event, RunStart } from "@cerulean/event-model";
import type { PlotModel } from "./plot/plot-model.ts";
import { PlotCallback, type PlotOutputOptions } from "./plot-callback.ts";

export interface LiveImageOptions extends PlotOutputOptions {
  clim?: [number, number];
  colormap?: "viridis" | "gray";
  title?: string;
}

/**
 * An image view: the latest 2-D array of `field` (an area detector frame), row 0 at the top.
 * Unfilled external data (a datum id instead of an array) is skipped until filled.
 */
export class LiveImage extends PlotCallback {
  readonly field: string;
  readonly #options: LiveImageOptions;
  #frame: { width: number; height: number; data: number[] } | null = null;
  #seqNum = 0;

  constructor(field: string, options: LiveImageOptions = {}) {
    super(options);
    this.field = field;
    this.#options = options;
  }

  override start(_doc: RunStart): void {
    this.#frame = null;
    this.#seqNum = 0;
  }

  override event(doc: Event): void {
    if (doc.filled?.[this.field] === false) return;
    const frame = toFrame(doc.data[this.field]);
    if (frame === null) return;
    this.#frame = frame;
    this.#seqNum = doc.seq_num;
  }

  get plot(): PlotModel {
    const o = this.#options;
    const frame = this.#frame;
    const plot: PlotModel = {
      title: o.title ?? (frame ? `${this.field} (event ${this.#seqNum})` : this.field),
      x: { label: "column" },
      y: { label: "row" },
      series: [],
      annotations: [],
      legend: false,
      colorbar: { label: this.field },
    };
    if (frame) {
      plot.image = {
        ...frame,
        origin: "upper",
        extent: [0, frame.width, frame.height, 0],
        colormap: o.colormap ?? "gray",
        ...(o.clim ? { colorRange: o.clim } : {}),
      };
      plot.x.range = [0, frame.width];
      plot.y.range = [0, frame.height];
      plot.y.inverted = true;
    }
    return plot;
  }
}

/** A rectangular number[][] (or a flat row of numbers as a 1-row image), else null. */
function toFrame(value: unknown): { width: number; height: number; data: number[] } | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const rows = Array.isArray(value[0]) ? (value as unknown[][]) : [value];
  const width = rows[0]?.length ?? 0;
  if (width === 0 || rows.some((row) => !Array.isArray(row) || row.length !== width)) return null;
  const data: number[] = [];
  for (const row of rows) {
    for (const v of row) data.push(typeof v === "number" ? v : Number.NaN);
  }
  return { width, height: rows.length, data };
}
