// Trajectory patterns (Bluesky's plan_patterns): evenly and log spaced points, and the inner
// (zipped) and outer (grid) products of per-motor trajectories.
import { PlanArgumentError } from "../errors.ts";
import { repr } from "../utils/repr.ts";
import { type Cycler, cycler, snake_cyclers } from "./cycler.ts";

/** The value recorded as `plan_pattern_module` (Bluesky's, so Python tools recognise it). */
export const PLAN_PATTERN_MODULE = "bluesky.plan_patterns";

/** `num` evenly spaced values from `start` to `stop` inclusive (numpy's linspace). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => start + i * step);
  out[num - 1] = stop;
  return out;
}

/** `num` values from 10^start to 10^stop, evenly spaced in log (numpy's logspace). */
export function logspace(start: number, stop: number, num: number): number[] {
  return linspace(start, stop, num).map((e) => 10 ** e);
}

/** True for a device that can be moved. */
export function isMovable(value: unknown): boolean {
  return typeof (value as { set?: unknown } | null)?.set === "function";
}

/** One trajectory of `num` points for several motors at once: `motor, start, stop, ...`. */
export function inner_product(num: number, args: readonly unknown[]): Cycler {
  if (args.length % 3 !== 0 || args.length === 0) {
    throw new PlanArgumentError(
      `inner_product: expected groups of (motor, start, stop); got ${args.length} arguments`,
    );
  }
  let result: Cycler | undefined;
  for (let i = 0; i < args.length; i += 3) {
    const c = cycler(args[i], linspace(args[i + 1] as number, args[i + 2] as number, num));
    result = result ? result.add(c) : c;
  }
  return result as Cycler;
}

/** One trajectory from explicit lists: `motor, [positions], ...` (equal lengths). */
export function inner_list_product(args: readonly unknown[]): Cycler {
  if (args.length % 2 !== 0 || args.length === 0) {
    throw new PlanArgumentError(
      `inner_list_product: expected pairs of (motor, positions); got ${args.length} arguments`,
    );
  }
  let result: Cycler | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const c = cycler(args[i], args[i + 1] as readonly unknown[]);
    result = result ? result.add(c) : c;
  }
  return result as Cycler;
}

/** Which axes snake: false, true (all but the first) or a list of motors. */
export type SnakeAxes = boolean | readonly unknown[];

/** A grid from explicit lists, first motor slowest: `motor, [positions], ...`. */
export function outer_list_product(args: readonly unknown[], snake_axes: SnakeAxes): Cycler {
  const cyclers: Cycler[] = [];
  const snaking: boolean[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const motor = args[i];
    cyclers.push(cycler(motor, args[i + 1] as readonly unknown[]));
    if (Array.isArray(snake_axes)) snaking.push(snake_axes.includes(motor));
    else snaking.push(snake_axes === true && i > 0);
  }
  return snake_cyclers(cyclers, snaking);
}

/** One axis of a grid: motor, start, stop, num and whether it snakes. */
export type GridAxis = [motor: unknown, start: number, stop: number, num: number, snake: boolean];

/**
 * Splits grid_scan arguments into axes. Two layouts: `m1, start, stop, num, m2, start, stop,
 * num, ...` ("pattern 1") or the older `m1, start, stop, num, m2, start, stop, num, snake2, ...`
 * ("pattern 2"). Motors must sit exactly where the layout puts them.
 */
export function chunk_outer_product_args(args: readonly unknown[]): {
  axes: GridAxis[];
  pattern: 1 | 2;
} {
  const pattern = classifyPattern(args);
  const axes: GridAxis[] = [];
  let i = 0;
  while (i < args.length) {
    const withSnake = pattern === 2 && i > 0;
    const [motor, start, stop, num, snake] = args.slice(i, i + (withSnake ? 5 : 4));
    axes.push([
      motor,
      start as number,
      stop as number,
      num as number,
      withSnake ? Boolean(snake) : false,
    ]);
    i += withSnake ? 5 : 4;
  }
  return { axes, pattern };
}

function classifyPattern(args: readonly unknown[]): 1 | 2 {
  const n = args.length;
  const fits1 = n > 0 && n % 4 === 0;
  const fits2 = n > 4 && (n - 4) % 5 === 0;
  if (!fits1 && !fits2) {
    throw new PlanArgumentError(
      `expected groups of (motor, start, stop, num) (with a snake flag after every motor but the first in the older form); got ${n} arguments`,
    );
  }
  const motorsAt = (p: 1 | 2): number[] => {
    const at = [0];
    for (let k = p === 1 ? 4 : 4; k < n; k += p === 1 ? 4 : 5) at.push(k);
    return at;
  };
  const valid = (p: 1 | 2): boolean => {
    const at = new Set(motorsAt(p));
    return args.every((a, k) => isMovable(a) === at.has(k));
  };
  if (fits1 && valid(1)) return 1;
  if (fits2 && valid(2)) return 2;
  const bad = args.findIndex((a, k) => isMovable(a) !== motorsAt(fits1 ? 1 : 2).includes(k));
  throw new PlanArgumentError(
    `a motor is out of place in the arguments: position ${bad + 1} is ${repr(args[bad])}; expected groups of (motor, start, stop, num)`,
  );
}

/** A grid with evenly spaced axes, first slowest, from `[motor, start, stop, num, snake]` axes. */
export function outer_product(axes: readonly GridAxis[]): Cycler {
  return snake_cyclers(
    axes.map(([motor, start, stop, num]) => cycler(motor, linspace(start, stop, num))),
    axes.map(([, , , , snake]) => snake),
  );
}
