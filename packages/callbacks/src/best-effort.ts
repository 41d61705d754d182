import type {
  DocumentMap,
  DocumentName,
  Event,
  EventDescriptor,
  LegacyDocumentMap,
  LegacyDocumentName,
  RouteOptions,
  RunStart,
  RunStop,
} from "@cerulean/event-model";
import { baselineTable, peakAnnotations, planePlot } from "./best-effort-parts.ts";
import { CallbackBase } from "./callback-base.ts";
import { writeFigures } from "./figure-output.ts";
import { localDateTime } from "./format/local-time.ts";
import { hintedFields, runDimensions } from "./hinted-fields.ts";
import { LivePlot } from "./live-plot.ts";
import { LiveTable } from "./live-table.ts";
import { type LineSink, type TextWritable, toLineSink } from "./output.ts";
import {
  addPeakResult,
  emptyPeakResults,
  formatPeakTable,
  type PeakResults,
} from "./peak-results.ts";
import { PeakStats } from "./peak-stats-callback.ts";
import type { FigureModel } from "./plot/plot-model.ts";
import type { PngOptions } from "./plot/render-png.ts";
import type { TerminalOptions } from "./plot/terminal.ts";
import type { PlotCallback } from "./plot-callback.ts";

type RoutedName = DocumentName | LegacyDocumentName;
type RoutedMap = DocumentMap & LegacyDocumentMap;

export interface BestEffortCallbackOptions {
  /** Where text goes (heading, table, baseline, peaks, terminal plots): a function or a writable stream; default standard output. */
  out?: LineSink | TextWritable;
  tableEnabled?: boolean;
  calcDerivativeAndStats?: boolean;
  /** No pictures at all (no terminal plots, no files); plot models are still kept in `figures`. */
  headless?: boolean;
  /** Print braille plots at the end of each run (default: unless headless). */
  terminalPlots?: boolean;
  terminalOptions?: TerminalOptions;
  /** Write one PNG per figure here at the end of each run (unless headless). */
  pngDir?: string;
  png?: PngOptions;
  /** Print the peak statistics table at the end of each run (default true). */
  printPeaks?: boolean;
}

interface Figure {
  name: string;
  plots: Map<string, PlotCallback>;
}

/**
 * Bluesky's BestEffortCallback: from the hints in the start and descriptor documents it prints a
 * heading and a LiveTable of the dimension stream, prints baseline readings (start of run at
 * once, end of run after the table), plots each hinted detector against the scan's dimensions
 * (LivePlot for one, LiveGrid or LiveScatter for two) and computes PeakStats for 1-D scans,
 * printed at the end and kept in `peaks`.
 * @example engine.subscribe(new BestEffortCallback({ pngDir: "./plots" }).callback);
 */
export class BestEffortCallback extends CallbackBase {
  readonly #options: BestEffortCallbackOptions;
  readonly #out: LineSink;
  #headingEnabled = true;
  #tableEnabled: boolean;
  #baselineEnabled = true;
  #plotsEnabled = true;
  /** Streams never plotted. */
  noplotStreams: string[] = ["baseline"];
  /** Skip plots of one-point runs (a count). */
  omitSinglePointPlot = true;
  /** Reuse a figure of the same fields across runs, so earlier runs stay visible (default true). */
  overplot = true;
  /** Peak statistics of the last run, keyed by detector field. */
  peaks: PeakResults = emptyPeakResults();

  #start: RunStart | null = null;
  #descriptors = new Map<string, EventDescriptor>();
  #streamsSeen = new Set<string>();
  #dimFields: string[] = [];
  #allDimFields: string[] = [];
  #dimStream = "primary";
  #fixDimFields = false;
  #table: LiveTable | null = null;
  #figures = new Map<string, Figure>();
  #runFigures = new Set<string>();
  #active = new Map<string, Map<string, PlotCallback>>();
  #peakStats = new Map<string, Map<string, PeakStats>>();
  #plotX = "";
  #xPrecision = 3;
  #baselineBuffer = "";
  #baselineToggle = true;

  constructor(options: BestEffortCallbackOptions = {}) {
    super();
    this.#options = options;
    this.#out = toLineSink(options.out);
    this.#tableEnabled = options.tableEnabled ?? true;
  }

  enableHeading(): void {
    this.#headingEnabled = true;
  }
  disableHeading(): void {
    this.#headingEnabled = false;
  }
  enableTable(): void {
    this.#tableEnabled = true;
  }
  disableTable(): void {
    this.#tableEnabled = false;
  }
  enableBaseline(): void {
    this.#baselineEnabled = true;
  }
  disableBaseline(): void {
    this.#baselineEnabled = false;
  }
  enablePlots(): void {
    this.#plotsEnabled = true;
  }
  disablePlots(): void {
    this.#plotsEnabled = false;
  }

  /** The figures drawn so far, by name ("det vs motor"), as plot models. */
  get figures(): Map<string, FigureModel> {
    const out = new Map<string, FigureModel>();
    for (const [name, figure] of this.#figures) {
      out.set(name, { title: name, panels: [...figure.plots.values()].map((p) => p.plot) });
    }
    return out;
  }

  override route<K extends RoutedName>(
    name: K,
    doc: RoutedMap[K],
    options?: RouteOptions,
  ): [K, RoutedMap[K]] {
    if (!(this.#tableEnabled || this.#baselineEnabled || this.#plotsEnabled)) return [name, doc];
    // What the user watches never fails the plan (bluesky's make_class_safe): a document it
    // cannot show is reported and skipped.
    try {
      return super.route(name, doc, options);
    } catch (error) {
      process.emitWarning(
        `BestEffortCallback could not handle a ${name} document: ${(error as Error).message}`,
      );
      return [name, doc];
    }
  }

  override start(doc: RunStart): void {
    this.#clear();
    this.#start = doc;
    const { dimensions, guessed, mixed } = runDimensions(doc);
    if (mixed) {
      process.emitWarning(
        "BestEffortCallback ignores the hinted dimensions: they span several streams",
      );
    }
    this.#fixDimFields = guessed;
    this.#dimFields = dimensions.map((d) => d.fields[0] ?? "time");
    this.#allDimFields = dimensions.flatMap((d) => d.fields);
    this.#dimStream = dimensions[0]?.stream ?? "primary";
    if (this.#headingEnabled) {
      this.#out(
        `\n\nTransient Scan ID: ${String(doc.scan_id ?? "")}     Time: ${localDateTime(doc.time)}`,
      );
      this.#out(`Persistent Unique Scan ID: '${doc.uid}'`);
    }
  }

  override descriptor(doc: EventDescriptor): void {
    this.#descriptors.set(doc.uid, doc);
    const stream = doc.name ?? "primary";
    if (!this.#streamsSeen.has(stream)) {
      this.#streamsSeen.add(stream);
      if (this.#tableEnabled) this.#out(`New stream: '${stream}'`);
    }
    if (stream === "primary" && this.#fixDimFields) {
      // Guessed dimensions are object names (motors); look up their hinted fields.
      this.#fixDimFields = false;
      const hints = (doc.hints ?? {}) as Record<string, { fields?: string[] } | undefined>;
      const objectKeys = (doc.object_keys ?? {}) as Record<string, string[] | undefined>;
      this.#dimFields = this.#dimFields.flatMap((name) =>
        name === "time" ? ["time"] : (hints[name]?.fields ?? objectKeys[name] ?? [name]),
      );
    }
    const columns = hintedFields(doc).filter((c) => !this.#allDimFields.includes(c));
    this.#setUpPlots(doc, stream, columns);
    if (stream === this.#dimStream && this.#tableEnabled && this.#start) {
      this.#table = new LiveTable([...this.#allDimFields, ...columns], {
        separatorLines: false,
        out: this.#out,
      });
      this.#table.start(this.#start);
      this.#table.descriptor(doc);
    }
  }

  override event(doc: Event): void {
    const descriptor = this.#descriptors.get(doc.descriptor);
    if (!descriptor) return;
    if (descriptor.name === "primary") this.#table?.event(doc);
    if (descriptor.name === "baseline") this.#baseline(descriptor, doc);
    const plots = this.#active.get(doc.descriptor);
    const stats = this.#peakStats.get(doc.descriptor);
    for (const key of Object.keys(doc.data)) {
      plots?.get(key)?.event(doc);
      stats?.get(key)?.event(doc);
    }
  }

  override stop(doc: RunStop): void {
    this.#table?.stop(doc);
    for (const stats of this.#peakStats.values()) {
      for (const [field, ps] of stats) {
        ps.stop(doc);
        if (ps.stats) addPeakResult(this.peaks, field, ps.stats);
      }
    }
    for (const [uid, plots] of this.#active) {
      for (const [field, plot] of plots) {
        const stats = this.#peakStats.get(uid)?.get(field)?.stats;
        if (plot instanceof LivePlot && stats) plot.annotations = peakAnnotations(stats);
        plot.stop(doc);
      }
    }
    if (this.#options.printPeaks ?? true) {
      for (const line of formatPeakTable(this.peaks, this.#plotX, this.#xPrecision))
        this.#out(line);
    }
    if (this.#baselineEnabled) {
      this.#out(this.#baselineBuffer);
      this.#out("\n");
    }
    if (!this.#options.headless && this.#start) {
      const figures = new Map([...this.figures].filter(([name]) => this.#runFigures.has(name)));
      writeFigures(figures, this.#start, {
        out: this.#out,
        terminal: this.#options.terminalPlots ?? true,
        terminalOptions: this.#options.terminalOptions,
        pngDir: this.#options.pngDir,
        png: this.#options.png,
      });
    }
  }

  #baseline(descriptor: EventDescriptor, doc: Event): void {
    this.#baselineToggle = !this.#baselineToggle;
    if (!this.#baselineEnabled) return;
    const subject = this.#baselineToggle ? "End-of-run" : "Start-of-run";
    const lines = baselineTable(subject, hintedFields(descriptor), descriptor, doc);
    if (this.#baselineToggle) this.#baselineBuffer += lines.map((l) => `${l}\n`).join("");
    else for (const line of lines) this.#out(line);
  }

  #setUpPlots(doc: EventDescriptor, stream: string, columns: string[]): void {
    const start = this.#start;
    if (
      !start ||
      !this.#plotsEnabled ||
      this.noplotStreams.includes(stream) ||
      columns.length === 0
    )
      return;
    if (start["num_points"] === 1 && stream === this.#dimStream && this.omitSinglePointPlot) return;
    const dims = stream === this.#dimStream ? this.#dimFields : ["time"];
    if (dims.length < 1 || dims.length > 2) {
      process.emitWarning(
        "BestEffortCallback makes plots only for 1 or 2 dimensions; adjust the plan's hints to get plots",
      );
      return;
    }
    const name = `${[...columns].sort().join(" ")} vs ${[...dims].sort().join(" ")}`;
    const figure = this.#figures.get(name);
    const reuse = this.overplot && dims.length === 1 && figure !== undefined;
    const plots = reuse && figure ? figure.plots : new Map<string, PlotCallback>();
    const active = new Map<string, PlotCallback>();
    const stats = new Map<string, PeakStats>();
    if (dims.length === 1) {
      const x = dims[0] ?? "time";
      if (stream === this.#dimStream) {
        // The peak table's x: the scan's dimension, not the time axis of a monitor stream.
        this.#plotX = x;
        const precision = doc.data_keys[x]?.precision;
        this.#xPrecision = typeof precision === "number" ? precision : 3;
      }
      for (const y of columns) {
        const dtype = doc.data_keys[y]?.dtype;
        if (dtype !== "number" && dtype !== "integer") {
          process.emitWarning(
            `BestEffortCallback does not plot "${y}": its dtype is ${String(dtype)}`,
          );
          continue;
        }
        const plot = plots.get(y) ?? new LivePlot(y, { x });
        plots.set(y, plot);
        active.set(y, plot);
        const ps = new PeakStats(x, y, {
          calcDerivativeAndStats: this.#options.calcDerivativeAndStats ?? false,
        });
        ps.start(start);
        stats.set(y, ps);
      }
    } else {
      for (const y of columns) {
        const plot = planePlot(start, dims, y);
        plots.set(y, plot);
        active.set(y, plot);
      }
    }
    for (const plot of active.values()) plot.start(start);
    this.#figures.set(name, { name, plots });
    this.#runFigures.add(name);
    this.#active.set(doc.uid, active);
    if (stats.size) this.#peakStats.set(doc.uid, stats);
  }

  #clear(): void {
    this.#start = null;
    this.#descriptors.clear();
    this.#streamsSeen.clear();
    this.#table = null;
    this.#active.clear();
    this.#runFigures.clear();
    this.#peakStats.clear();
    this.peaks = emptyPeakResults();
    this.#baselineBuffer = "";
    this.#baselineToggle = true;
    if (!this.overplot) this.#figures.clear();
  }
}
