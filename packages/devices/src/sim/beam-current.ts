import { SignalR } from "../core/signal.ts";
import { SimSignalBackend } from "../core/sim-signal-backend.ts";
import { now } from "../core/time.ts";

/** Options of the simulated storage-ring current. */
export interface BeamCurrentOptions {
  /** Current right after a top-up, mA (default 500). */
  nominal?: number;
  /** Beam lifetime, seconds (default 10 h). */
  lifetime?: number;
  /** Seconds between top-up injections (default 60; 0 for a decaying fill). */
  topUpPeriod?: number;
  /** Seconds between monitor updates (default 0.1). */
  period?: number;
  /** The clock, seconds (default the wall clock; tests pass their own). */
  clock?: () => number;
}

/**
 * A storage-ring current in mA for suspenders: in top-up mode
 * `I(t) = nominal · exp(−((t − t0) mod topUpPeriod) / lifetime)` (500 → 499.17 mA with the
 * defaults), 0 while the beam is dumped (`dump()` until `restore()`).
 */
export class BeamCurrent extends SignalR<number> {
  readonly #options: Required<Omit<BeamCurrentOptions, "clock">>;
  readonly #clock: () => number;
  #start: number;
  #dumped = false;

  constructor(name = "beam_current", options: BeamCurrentOptions = {}) {
    const compute = (): number => this.#current();
    super(
      new SimSignalBackend(compute, { units: "mA", precision: 2, period: options.period ?? 0.1 }),
      name,
    );
    this.#options = {
      nominal: options.nominal ?? 500,
      lifetime: options.lifetime ?? 36_000,
      topUpPeriod: options.topUpPeriod ?? 60,
      period: options.period ?? 0.1,
    };
    this.#clock = options.clock ?? now;
    this.#start = this.#clock();
  }

  /** Loses the beam: the current reads 0 until `restore()`. */
  dump(): void {
    this.#dumped = true;
  }

  /** Beam back at the nominal current (a fresh fill starts now). */
  restore(): void {
    this.#dumped = false;
    this.#start = this.#clock();
  }

  #current(): number {
    if (this.#dumped) return 0;
    const { nominal, lifetime, topUpPeriod } = this.#options;
    const elapsed = this.#clock() - this.#start;
    const sinceFill = topUpPeriod > 0 ? elapsed % topUpPeriod : elapsed;
    return nominal * Math.exp(-sinceFill / lifetime);
  }
}
