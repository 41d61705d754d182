import type { Event, RunStart } from "@cerulean/event-model";
import { CallbackConfigurationError } from "./errors.ts";
import type { PlotModel } from "./plot/plot-model.ts";
import { PlotCallback, type PlotOutputOptions } from "./plot-callback.ts";

export interface LiveGridOptions extends PlotOutputOptions {
  /** Data coordinates of the grid's edges: [left, right, bottom, top] (default: cell indices). */
  extent?: [number, number, number, number];
  xlabel?: string;
  ylabel?: string;
  clim?: [number, number];
  title?: string;
}

/**
 * Bluesky's LiveGrid: a rectilinear 2-D scan as an image, the n-th event filling cell n - 1 of a
 * [rows, columns] raster (slow axis up the rows). Snaked scans (start document `snaking:
 * [false, true]`) fill odd rows right to left.
 */
export class LiveGrid extends PlotCallback {
  readonly shape: readonly [number, number];
  readonly intensity: string;
  readonly #options: LiveGridOptions;
  #cells: number[];
  #snake = false;

  constructor(rasterShape: [number, number], intensity: string, options: LiveGridOptions = {}) {
    super(options);
    const [rows, cols] = rasterShape;
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0)) {
      throw new CallbackConfigurationError(
        `LiveGrid: raster shape must be two positive integers [rows, columns], got ${JSON.stringify(rasterShape)}`,
      );
    }
    this.shape = [rows, cols];
    this.intensity = intensity;
    this.#options = options;
    this.#cells = new Array<number>(rows * cols).fill(Number.NaN);
  }

  override start(doc: RunStart): void {
    this.#cells.fill(Number.NaN);
    const snaking = doc["snaking"];
    this.#snake = Array.isArray(snaking) && snaking[1] === true;
  }

  override event(doc: Event): void {
    const v = doc.data[this.intensity];
    if (typeof v !== "number") return;
    const [, cols] = this.shape;
    const index = doc.seq_num - 1;
    if (index < 0 || index >= this.#cells.length) return;
    const row = Math.floor(index / cols);
    const col = this.#snake && row % 2 === 1 ? cols - 1 - (index % cols) : index % cols;
    this.#cells[row * cols + col] = v;
  }

  get plot(): PlotModel {
    const [rows, cols] = this.shape;
    const o = this.#options;
    return {
      title: o.title ?? this.intensity,
      x: { label: o.xlabel ?? "" },
      y: { label: o.ylabel ?? "" },
      series: [],
      annotations: [],
      image: {
        width: cols,
        height: rows,
        data: [...this.#cells],
        origin: "lower",
        extent: o.extent ?? [-0.5, cols - 0.5, -0.5, rows - 0.5],
        ...(o.clim ? { colorRange: o.clim } : {}),
      },
      legend: false,
      colorbar: { label: this.intensity },
    };
  }
}
