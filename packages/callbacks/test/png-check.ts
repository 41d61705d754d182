// Reading rendered PNGs back for assertions.
import { PNG } from "pngjs";

export interface Pixels {
  width: number;
  height: number;
  /** [r, g, b, a] at (x, y). */
  at(x: number, y: number): [number, number, number, number];
  /** How many pixels in the box satisfy the predicate. */
  count(
    box: { x0: number; y0: number; x1: number; y1: number },
    test: (rgba: [number, number, number, number]) => boolean,
  ): number;
}

export function readPng(buffer: Buffer): Pixels {
  const png = PNG.sync.read(buffer);
  const at = (x: number, y: number): [number, number, number, number] => {
    const i = (y * png.width + x) * 4;
    return [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0, png.data[i + 3] ?? 0];
  };
  return {
    width: png.width,
    height: png.height,
    at,
    count(box, test) {
      let n = 0;
      for (let y = box.y0; y < box.y1; y++)
        for (let x = box.x0; x < box.x1; x++) if (test(at(x, y))) n++;
      return n;
    },
  };
}

export const isDark = ([r, g, b]: number[]) =>
  (r ?? 255) < 100 && (g ?? 255) < 100 && (b ?? 255) < 100;
export const isNotWhite = ([r, g, b]: number[]) =>
  (r ?? 255) < 235 || (g ?? 255) < 235 || (b ?? 255) < 235;
/** Close to matplotlib's first colour, #1f77b4. */
export const isSeriesBlue = ([r, g, b]: number[]) =>
  Math.abs((r ?? 0) - 0x1f) < 40 &&
  Math.abs((g ?? 0) - 0x77) < 40 &&
  Math.abs((b ?? 0) - 0xb4) < 40;
