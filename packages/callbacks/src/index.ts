export { AnalysisRun, type AnalysisRunOptions } from "./analysis-run.ts";
export { BestEffortCallback, type BestEffortCallbackOptions } from "./best-effort.ts";
export { CallbackBase } from "./callback-base.ts";
export { CallbackConfigurationError, CallbacksError, PlotRenderError } from "./errors.ts";
export { type FigureOutputOptions, figureFileName, writeFigures } from "./figure-output.ts";
export { localDateTime, localTimeOfDay } from "./format/local-time.ts";
export { formatFixed, pythonFloatRepr, pythonRepr, pythonStr } from "./format/python-format.ts";
export { type Dimension, hintedFields, runDimensions } from "./hinted-fields.ts";
export { LastRunPeak, type LastRunPeakOptions } from "./last-run-peak.ts";
export { LiveFit, type LiveFitOptions } from "./live-fit.ts";
export { LiveFitPlot, type LiveFitPlotOptions } from "./live-fit-plot.ts";
export { LiveGrid, type LiveGridOptions } from "./live-grid.ts";
export { LiveImage, type LiveImageOptions } from "./live-image.ts";
export { LivePlot, type LivePlotOptions } from "./live-plot.ts";
export { LiveScatter, type LiveScatterOptions } from "./live-scatter.ts";
export { LiveTable, type LiveTableOptions } from "./live-table.ts";
export { type LineSink, printToStdout, type TextWritable, toLineSink } from "./output.ts";
export {
  addPeakResult,
  emptyPeakResults,
  formatPeakTable,
  type PeakResults,
} from "./peak-results.ts";
export { PeakStats, type PeakStatsOptions } from "./peak-stats-callback.ts";
export { colormapHex, colormapRgb } from "./plot/colormap.ts";
export {
  type Annotation,
  type AxisModel,
  type ColormapName,
  emptyPlot,
  type FigureModel,
  type ImageLayer,
  type LineSeries,
  PALETTE,
  type PlotModel,
  type ScatterSeries,
  type Series,
} from "./plot/plot-model.ts";
export { encodeRgbaPng } from "./plot/png-encode.ts";
export { type PngOptions, renderPng, svgToPng } from "./plot/render-png.ts";
export { escapeXml } from "./plot/svg-elements.ts";
export { renderSvg, type SvgOptions } from "./plot/svg-render.ts";
export { renderTerminal, type TerminalOptions } from "./plot/terminal.ts";
export { finiteExtent, formatTick, niceStep, niceTicks } from "./plot/ticks.ts";
export { PlotCallback, type PlotOutputOptions } from "./plot-callback.ts";
export {
  formatDuration,
  formatProgress,
  ProgressBar,
  type ProgressBarOptions,
  type ProgressState,
} from "./progress-bar.ts";
