import { writeFileSync } from "node:fs";
import type { RunStop } from "@cerulean/event-model";
import { CallbackBase } from "./callback-base.ts";
import type { PlotModel } from "./plot/plot-model.ts";
import { type PngOptions, renderPng } from "./plot/render-png.ts";
import { renderSvg, type SvgOptions } from "./plot/svg-render.ts";
import { renderTerminal, type TerminalOptions } from "./plot/terminal.ts";

/** Where a plotting callback sends its picture when a run stops. */
export interface PlotOutputOptions {
  /** Write a PNG here at every stop. */
  pngPath?: string;
  /** Size and fonts of that PNG. */
  png?: PngOptions;
  /** Receives a braille rendering at every stop (e.g. print it). */
  terminal?: (text: string) => void;
  terminalOptions?: TerminalOptions;
}

/**
 * The base of the plotting callbacks: they keep a PlotModel up to date from the documents, and
 * this renders it (SVG, PNG, terminal) on demand or at the end of each run.
 */
export abstract class PlotCallback extends CallbackBase {
  readonly #output: PlotOutputOptions;

  constructor(output: PlotOutputOptions = {}) {
    super();
    this.#output = output;
  }

  /** The current picture as plain data (what the web UI draws too). */
  abstract get plot(): PlotModel;

  toSvg(options?: SvgOptions): string {
    return renderSvg(this.plot, options);
  }

  toPng(options: PngOptions = this.#output.png ?? {}): Buffer {
    return renderPng(this.plot, options);
  }

  toTerminal(options: TerminalOptions = this.#output.terminalOptions ?? {}): string {
    return renderTerminal(this.plot, options);
  }

  /** Writes the current picture as a PNG file. */
  savePng(path: string, options?: PngOptions): void {
    writeFileSync(path, this.toPng(options));
  }

  override stop(_doc: RunStop): void {
    if (this.#output.pngPath) this.savePng(this.#output.pngPath);
    if (this.#output.terminal) this.#output.terminal(this.toTerminal());
  }
}
