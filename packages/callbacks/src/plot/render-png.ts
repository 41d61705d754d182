import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { PlotRenderError } from "../errors.ts";
import type { FigureModel, PlotModel } from "./plot-model.ts";
import { renderSvg, type SvgOptions } from "./svg-render.ts";

/** Where Debian and most Linux distributions install DejaVu Sans. */
const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";
const DEJAVU_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => `${DEJAVU_DIR}/${f}`);

export interface PngOptions extends SvgOptions {
  /** Font files to load; default DejaVu Sans (regular and bold) when installed. */
  fontFiles?: string[];
  /** Also search the system's fonts (slower); default true only when no font file is found. */
  loadSystemFonts?: boolean;
}

/** The font setup resvg gets: explicit files when present, else the system's fonts. */
function fontOptions(options: PngOptions) {
  const fontFiles = (options.fontFiles ?? DEJAVU_FILES).filter((f) => existsSync(f));
  return {
    fontFiles,
    loadSystemFonts: options.loadSystemFonts ?? fontFiles.length === 0,
    defaultFontFamily: options.fontFamily ?? "DejaVu Sans",
    sansSerifFamily: options.fontFamily ?? "DejaVu Sans",
  };
}

/** Renders an SVG document to PNG bytes with resvg. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  try {
    return new Resvg(svg, { font: fontOptions(options), logLevel: "off" }).render().asPng();
  } catch (cause) {
    throw new PlotRenderError(
      `could not render the plot to PNG: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * Renders a plot (or a figure of several) to PNG bytes: the plot model is drawn as SVG, then
 * rasterized by resvg with DejaVu Sans.
 * @example writeFileSync("scan.png", renderPng(livePlot.plot));
 */
export function renderPng(plot: PlotModel | FigureModel, options: PngOptions = {}): Buffer {
  return svgToPng(renderSvg(plot, options), options);
}
