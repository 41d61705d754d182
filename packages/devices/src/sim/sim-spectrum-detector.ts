import { AsyncStatus } from "../core/async-status.ts";
import type { SignalR } from "../core/signal.ts";
import { softSignalRAndSetter } from "../core/soft-signal.ts";
import { StandardReadable } from "../core/standard-readable.ts";
import { sleep } from "../core/time.ts";
import type { Readable } from "../protocols/readable.ts";
import type { Status } from "../protocols/status.ts";
import { gaussian } from "./gaussian.ts";

/** Options of a SimSpectrumDetector. */
export interface SimSpectrumOptions {
  /** The motor whose position sets the height (constant Imax without one). */
  motor?: Readable;
  motorField?: string;
  /** Height curve over the motor position (defaults 0, 100, 1). */
  center?: number;
  Imax?: number;
  sigma?: number;
  /** Number of channels (default 64). */
  channels?: number;
  /** Peak channel (default (channels − 1)/2) and width in channels (default channels/16). */
  peakChannel?: number;
  peakWidth?: number;
  /** Seconds per trigger (default 0). */
  exposureTime?: number;
}

/**
 * A simulated 1-D detector (an MCA): on trigger,
 * `spectrum[i] = H · exp(−(i − peakChannel)² / (2 peakWidth²))` with
 * `H = Imax · exp(−(m − center)² / (2 sigma²))`, m the motor position. Reads `<name>` (the
 * spectrum, an array in the event) and `<name>_total` (its sum, hinted).
 */
export class SimSpectrumDetector extends StandardReadable {
  readonly spectrum: SignalR<number[]>;
  readonly total: SignalR<number>;
  readonly channels: number;
  readonly #options: SimSpectrumOptions;
  readonly #setSpectrum: (value: number[]) => void;
  readonly #setTotal: (value: number) => void;

  constructor(name: string, options: SimSpectrumOptions = {}) {
    super(name);
    this.#options = options;
    this.channels = options.channels ?? 64;
    const [spectrum, setSpectrum] = softSignalRAndSetter<number[]>(
      new Array(this.channels).fill(0),
      "",
      { units: "counts" },
    );
    const [total, setTotal] = softSignalRAndSetter(0, "", { precision: 3, units: "counts" });
    this.#setSpectrum = setSpectrum;
    this.#setTotal = setTotal;
    this.spectrum = this.addChild("spectrum", spectrum, { nameAsParent: true });
    this.total = this.addChild("total", total, { kind: "hinted" });
  }

  /** The spectrum for a motor position `m`. */
  spectrumAt(m: number): number[] {
    const { center = 0, Imax = 100, sigma = 1 } = this.#options;
    const height = gaussian(m, center, Imax, sigma);
    const peak = this.#options.peakChannel ?? (this.channels - 1) / 2;
    const width = this.#options.peakWidth ?? this.channels / 16;
    return Array.from({ length: this.channels }, (_, i) => gaussian(i, peak, height, width));
  }

  trigger(): Status {
    return new AsyncStatus(
      async ({ signal }) => {
        const { exposureTime = 0, motor, motorField } = this.#options;
        if (exposureTime > 0) await sleep(exposureTime, signal);
        let m = this.#options.center ?? 0;
        if (motor) {
          const value = (await motor.read())[motorField ?? motor.name]?.value;
          m = typeof value === "number" ? value : Number.NaN;
        }
        const spectrum = this.spectrumAt(m);
        this.#setSpectrum(spectrum);
        this.#setTotal(spectrum.reduce((a, b) => a + b, 0));
      },
      { operation: `${this.name} trigger()` },
    );
  }
}
