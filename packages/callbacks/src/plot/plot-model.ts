// The one plot model: plain data (no methods, no DOM) that LivePlot, LiveScatter, LiveGrid and the
// image view fill in, and that every renderer draws: SVG -> PNG here, braille in a terminal, and
// the web UI later. It is JSON-serializable so it can travel over HTTP/WebSocket as is.

/** The colormaps renderers know. */
export type ColormapName = "viridis" | "gray";

/** A curve: points joined by lines and/or marked. Non-finite points break the line. */
export interface LineSeries {
  kind: "line";
  label: string;
  x: number[];
  y: number[];
  /** CSS colour; renderers pick from the palette when absent. */
  color?: string;
  /** Default "solid". */
  line?: "solid" | "dashed" | "none";
  /** "auto" (default) marks points when there are few of them. */
  marker?: "circle" | "none" | "auto";
}

/** Points coloured by a third value (LiveScatter's intensity). */
export interface ScatterSeries {
  kind: "scatter";
  label: string;
  x: number[];
  y: number[];
  values: number[];
  /** Colour scale limits; the values' range when absent. */
  colorRange?: [number, number];
  colormap?: ColormapName;
}

export type Series = LineSeries | ScatterSeries;

/** A 2-D array of values shown as pixels (LiveGrid, the image view). */
export interface ImageLayer {
  /** Columns and rows. */
  width: number;
  height: number;
  /** Row-major values, `height * width` of them; NaN pixels are transparent. */
  data: number[];
  /** Data coordinates of the image edges: [left, right, bottom, top], as matplotlib's extent. */
  extent?: [number, number, number, number];
  /** "lower" puts row 0 at the bottom (grids), "upper" at the top (camera images, default). */
  origin?: "upper" | "lower";
  colorRange?: [number, number];
  colormap?: ColormapName;
}

/** A marker line or span drawn over the data (peak centre, fwhm). */
export type Annotation =
  | { kind: "vline" | "hline"; value: number; label?: string; color?: string }
  | { kind: "span"; from: number; to: number; at: number; label?: string; color?: string };

export interface AxisModel {
  label: string;
  /** Fixed limits; fitted to the data when absent. */
  range?: [number, number];
  /** Values grow downwards (a y axis for camera images, row 0 at the top). */
  inverted?: boolean;
}

/** One set of axes: what a matplotlib Axes shows for a live callback. */
export interface PlotModel {
  title: string;
  x: AxisModel;
  y: AxisModel;
  series: Series[];
  annotations: Annotation[];
  image?: ImageLayer;
  legend: boolean;
  /** Shown beside an image or a scatter series. */
  colorbar?: { label: string };
}

/** Several plots laid out in a grid, row by row (BestEffortCallback's one figure per stream). */
export interface FigureModel {
  title?: string;
  panels: PlotModel[];
  /** Panels per row; default 1 for up to 4 panels, else about sqrt(n). */
  columns?: number;
}

/** A plot with no data yet. */
export function emptyPlot(title: string, xLabel: string, yLabel: string): PlotModel {
  return {
    title,
    x: { label: xLabel },
    y: { label: yLabel },
    series: [],
    annotations: [],
    legend: true,
  };
}

/** matplotlib's default colour cycle (tab10). */
export const PALETTE: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];
