import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunStart } from "@cerulean/event-model";
import type { LineSink } from "./output.ts";
import type { FigureModel } from "./plot/plot-model.ts";
import { type PngOptions, renderPng } from "./plot/render-png.ts";
import { renderTerminal, type TerminalOptions } from "./plot/terminal.ts";

export interface FigureOutputOptions {
  out: LineSink;
  terminal: boolean;
  terminalOptions?: TerminalOptions;
  pngDir?: string;
  png?: PngOptions;
}

/** A file name for a figure of a run: "scan-12-det-vs-motor.png". */
export function figureFileName(figure: string, start: RunStart): string {
  const scan = start.scan_id ?? start.uid.slice(0, 8);
  const slug = figure.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "");
  return `scan-${String(scan)}-${slug}.png`;
}

/** Prints figures as braille plots and/or writes them as PNG files. */
export function writeFigures(
  figures: Map<string, FigureModel>,
  start: RunStart,
  options: FigureOutputOptions,
): string[] {
  const written: string[] = [];
  if (options.pngDir) mkdirSync(options.pngDir, { recursive: true });
  for (const [name, figure] of figures) {
    if (options.terminal) {
      for (const panel of figure.panels)
        options.out(renderTerminal(panel, options.terminalOptions));
    }
    if (options.pngDir) {
      const path = join(options.pngDir, figureFileName(name, start));
      writeFileSync(path, renderPng(figure, options.png));
      written.push(path);
    }
  }
  return written;
}
