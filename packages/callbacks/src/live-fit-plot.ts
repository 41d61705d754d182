import { evaluateModel, extent } from "@cerulean/analysis";
import type {
  DocumentMap,
  DocumentName,
  LegacyDocumentMap,
  LegacyDocumentName,
  RouteOptions,
} from "@cerulean/event-model";
import type { LiveFit } from "./live-fit.ts";
import { LivePlot, type LivePlotOptions } from "./live-plot.ts";
import type { PlotModel } from "./plot/plot-model.ts";

type RoutedName = DocumentName | LegacyDocumentName;
type RoutedMap = DocumentMap & LegacyDocumentMap;

export interface LiveFitPlotOptions extends Omit<LivePlotOptions, "x"> {
  /** Points of the drawn fit curve (default 200). */
  numPoints?: number;
}

/**
 * Bluesky's LiveFitPlot: the data of a LiveFit and its latest fitted curve (dashed; labelled with
 * the failure reason when the fit failed). Documents given to this plot are passed to the fit,
 * so subscribe only the plot.
 */
export class LiveFitPlot extends LivePlot {
  readonly liveFit: LiveFit;
  readonly #numPoints: number;

  constructor(liveFit: LiveFit, options: LiveFitPlotOptions = {}) {
    super(liveFit.y, { ...options, x: liveFit.independentVars["x"] ?? "seq_num" });
    this.liveFit = liveFit;
    this.#numPoints = options.numPoints ?? 200;
  }

  override route<K extends RoutedName>(
    name: K,
    doc: RoutedMap[K],
    options?: RouteOptions,
  ): [K, RoutedMap[K]] {
    this.liveFit.route(name, doc, options);
    return super.route(name, doc, options);
  }

  override get plot(): PlotModel {
    const plot = super.plot;
    const result = this.liveFit.result;
    const { x } = this.liveFit.data;
    if (result && x.length > 1) {
      const [lo, hi] = extent(x);
      const xs = Array.from(
        { length: this.#numPoints },
        (_, i) => lo + ((hi - lo) * i) / (this.#numPoints - 1),
      );
      const label = result.success
        ? `${result.model} fit`
        : `${result.model} fit failed: ${result.failure?.code}`;
      plot.series.push({
        kind: "line",
        label,
        x: xs,
        y: evaluateModel(this.liveFit.model, result.params, xs),
        line: "dashed",
        marker: "none",
        color: result.success ? "#d62728" : "#999999",
      });
    }
    return plot;
  }
}
