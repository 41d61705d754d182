// A small counterpart of Python's `cycler`: named trajectories (one list of positions per motor)
// combined by zipping (`add`, Python's `+`) or as an outer product (`mul`, Python's `*`).
// scan_nd walks one, yielding each step as a Map from motor to position.
import { PlanArgumentError } from "../errors.ts";
import { repr } from "../utils/repr.ts";

/** One point of a trajectory: each motor (the key object) to its position. */
export type Step = Map<unknown, unknown>;

/** Positions per motor, all of the same length; iterating yields the steps in order. */
export class Cycler implements Iterable<Step> {
  readonly #columns: Map<unknown, readonly unknown[]>;
  readonly #length: number;
  readonly #repr: string;

  constructor(columns: Map<unknown, readonly unknown[]>, text?: string) {
    let length: number | undefined;
    for (const [key, values] of columns) {
      if (length !== undefined && values.length !== length) {
        throw new PlanArgumentError(
          `cycler: every key needs the same number of positions; ${repr(key)} has ${values.length}, others ${length}`,
        );
      }
      length = values.length;
    }
    this.#columns = new Map(columns);
    this.#length = length ?? 0;
    this.#repr =
      text ?? [...columns].map(([k, v]) => `cycler(${repr(k)}, ${formatList(v)})`).join(" + ");
  }

  /** The motors, in order. */
  get keys(): unknown[] {
    return [...this.#columns.keys()];
  }

  /** The number of steps (Python's `len(cycler)`). */
  get length(): number {
    return this.#length;
  }

  /** The positions of each motor (Python's `by_key()`). */
  by_key(): Map<unknown, unknown[]> {
    return new Map([...this.#columns].map(([k, v]) => [k, [...v]]));
  }

  /** Both trajectories at once, step by step (Python's `a + b`): same length, distinct keys. */
  add(other: Cycler): Cycler {
    if (other.length !== this.length) {
      throw new PlanArgumentError(
        `cycler: cannot zip trajectories of ${this.length} and ${other.length} steps`,
      );
    }
    return new Cycler(
      this.#merged(
        other,
        (mine) => [...mine],
        (theirs) => [...theirs],
      ),
      `(${this} + ${other})`,
    );
  }

  /** Every step of `other` for each step of this one (Python's `a * b`): distinct keys. */
  mul(other: Cycler): Cycler {
    const n = other.length;
    return new Cycler(
      this.#merged(
        other,
        (mine) => mine.flatMap((v) => Array.from({ length: n }, () => v)),
        (theirs) => Array.from({ length: this.length }, () => theirs).flat(),
      ),
      `(${this} * ${other})`,
    );
  }

  /** This trajectory followed by `other`, which must move the same motors (Python's concat). */
  concat(other: Cycler): Cycler {
    const keys = this.keys;
    if (keys.length !== other.keys.length || keys.some((k) => !other.#columns.has(k))) {
      throw new PlanArgumentError("cycler: concat needs two trajectories of the same motors");
    }
    const columns = new Map<unknown, unknown[]>();
    for (const k of keys)
      columns.set(k, [...(this.#columns.get(k) ?? []), ...(other.#columns.get(k) ?? [])]);
    return new Cycler(columns, `concat(${this}, ${other})`);
  }

  *[Symbol.iterator](): Iterator<Step> {
    for (let i = 0; i < this.#length; i++) {
      const step: Step = new Map();
      for (const [k, values] of this.#columns) step.set(k, values[i]);
      yield step;
    }
  }

  /** Python-like text, recorded in plan_args: `(cycler(m1, [1, 2]) * cycler(m2, [3, 4]))`. */
  toString(): string {
    return this.#repr;
  }

  #merged(
    other: Cycler,
    mine: (values: readonly unknown[]) => unknown[],
    theirs: (values: readonly unknown[]) => unknown[],
  ): Map<unknown, unknown[]> {
    const columns = new Map<unknown, unknown[]>();
    for (const [k, v] of this.#columns) columns.set(k, mine(v));
    for (const [k, v] of other.#columns) {
      if (columns.has(k)) {
        throw new PlanArgumentError(`cycler: ${repr(k)} appears in both trajectories`);
      }
      columns.set(k, theirs(v));
    }
    return columns;
  }
}

/** A one-motor trajectory: `cycler(motor, [1, 2, 3])`. */
export function cycler(key: unknown, positions: Iterable<unknown>): Cycler {
  return new Cycler(new Map([[key, [...positions]]]));
}

/**
 * The outer product of trajectories, first slowest, where each flagged one (not the first)
 * reverses direction on every other pass (Bluesky's snake_cyclers).
 */
export function snake_cyclers(cyclers: readonly Cycler[], snake: readonly boolean[]): Cycler {
  if (cyclers.length !== snake.length) {
    throw new PlanArgumentError(
      `snake_cyclers: ${cyclers.length} trajectories but ${snake.length} snake flags`,
    );
  }
  if (cyclers.length === 0) return new Cycler(new Map());
  const lengths = cyclers.map((c) => c.length);
  const columns = new Map<unknown, unknown[]>();
  const text: string[] = [];
  cyclers.forEach((c, i) => {
    const tiles = product(lengths.slice(0, i));
    const repeats = product(lengths.slice(i + 1));
    const reversed = (snake[i] ?? false) && i > 0;
    for (const [key, values] of c.by_key()) {
      if (columns.has(key)) {
        throw new PlanArgumentError(`snake_cyclers: ${repr(key)} appears in two trajectories`);
      }
      const column: unknown[] = [];
      for (let t = 0; t < tiles; t++) {
        const pass = reversed && t % 2 === 1 ? [...values].reverse() : values;
        for (const v of pass) for (let r = 0; r < repeats; r++) column.push(v);
      }
      columns.set(key, column);
    }
    text.push(String(c));
  });
  return new Cycler(columns, text.length === 1 ? text[0] : `(${text.join(" * ")})`);
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

function formatList(values: readonly unknown[]): string {
  return `[${values.map((v) => (typeof v === "number" ? String(v) : repr(v))).join(", ")}]`;
}
