import { normal, type RandomSource } from "./random.ts";
import { SynSignal, type SynSignalOptions } from "./syn-signal.ts";

/** Options of a SynPeriodicSignal. */
export interface SynPeriodicOptions extends SynSignalOptions {
  /** Mean seconds between updates (default 1). */
  period?: number;
  /** Standard deviation of the period, seconds (default 1). */
  periodJitter?: number;
  /** Uniform [0, 1) source (default Math.random). */
  random?: RandomSource;
}

/**
 * ophyd.sim's SynPeriodicSignal (`rand`): `func` (default uniform [0, 1)) is re-evaluated
 * on each trigger and, while someone is subscribed, every max(period + jitter · N(0,1), 0) s.
 * (ophyd runs its thread forever once started; here the updates live only as long as a
 * subscription, so an idle signal costs nothing.)
 */
export class SynPeriodicSignal extends SynSignal<number> {
  readonly #options: SynPeriodicOptions;
  readonly #random: RandomSource;
  readonly #func: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(name = "", options: SynPeriodicOptions & { func?: () => number } = {}) {
    const random = options.random ?? Math.random;
    const func = options.func ?? random;
    super(func, name, options);
    this.#options = options;
    this.#random = random;
    this.#func = func;
  }

  protected override onMonitor(active: boolean): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (active) this.#schedule();
  }

  #schedule(): void {
    const { period = 1, periodJitter = 1 } = this.#options;
    const wait = Math.max(period + periodJitter * normal(this.#random), 0);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.monitored) return;
      this.store(this.#func());
      this.#schedule();
    }, wait * 1000);
    this.#timer.unref();
  }
}
