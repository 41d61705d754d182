import { InvalidValueError } from "../core/errors.ts";
import type { ConnectOptions } from "../core/signal.ts";
import type { SignalRW } from "../core/signal-rw.ts";
import { softSignalRW } from "../core/soft-signal.ts";
import { StandardReadable } from "../core/standard-readable.ts";
import type { Readable } from "../protocols/readable.ts";
import type { Status } from "../protocols/status.ts";
import type { ReadingsCallback } from "../protocols/subscribable.ts";
import { addNoise, gaussian, gaussian2d, type Noise } from "./gaussian.ts";
import type { RandomSource } from "./random.ts";
import { SynSignal } from "./syn-signal.ts";

/** Options shared by SynGauss and Syn2DGauss (defaults as ophyd.sim). */
export interface GaussOptions {
  /** Peak intensity (default 10 for SynGauss, 1 for Syn2DGauss). */
  Imax?: number;
  /** Default 1. */
  sigma?: number;
  /** Default "none". */
  noise?: Noise;
  /** Scale of the "uniform" noise (default 1). */
  noiseMultiplier?: number;
  /** Uniform [0, 1) source of the noise (default Math.random; seed it for tests). */
  random?: RandomSource;
  /** Seconds each trigger takes (default 0). */
  exposureTime?: number;
}

async function fieldOf(motor: Readable, field: string, detector: string): Promise<number> {
  const reading = (await motor.read())[field];
  if (!reading || typeof reading.value !== "number") {
    throw new InvalidValueError(detector, reading?.value, `a number in ${motor.name}'s "${field}"`);
  }
  return reading.value;
}

/** The value and configuration signals of a Gaussian detector; subclasses say where the peak is. */
abstract class GaussDetector<TCenter> extends StandardReadable {
  readonly val: SynSignal<number>;
  readonly Imax: SignalRW<number>;
  readonly center: SignalRW<TCenter>;
  readonly sigma: SignalRW<number>;
  readonly noise: SignalRW<Noise>;
  readonly noiseMultiplier: SignalRW<number>;
  readonly random: RandomSource;

  constructor(name: string, center: TCenter, Imax: number, options: GaussOptions) {
    super(name);
    this.random = options.random ?? Math.random;
    const exposure = { exposureTime: options.exposureTime ?? 0 };
    const val = new SynSignal(() => 0, "", exposure);
    this.val = this.addChild("val", val, { kind: "hinted", nameAsParent: true });
    val.setFunc(() => this.compute());
    const config = { kind: "config" } as const;
    this.Imax = this.addChild("Imax", softSignalRW(Imax), config);
    this.center = this.addChild("center", softSignalRW(center), config);
    this.sigma = this.addChild("sigma", softSignalRW(options.sigma ?? 1), config);
    const choices = ["none", "poisson", "uniform"];
    this.noise = this.addChild(
      "noise",
      softSignalRW<Noise>(options.noise ?? "none", "", { choices }),
      config,
    );
    this.noiseMultiplier = this.addChild(
      "noise_multiplier",
      softSignalRW(options.noiseMultiplier ?? 1),
      config,
    );
  }

  /** The noiseless value at the motors' current positions. */
  protected abstract peak(): Promise<number>;

  /** The peak value plus noise, as a trigger stores it. */
  async compute(): Promise<number> {
    const v = await this.peak();
    const [noise, multiplier] = await Promise.all([
      this.noise.getValue(),
      this.noiseMultiplier.getValue(),
    ]);
    return addNoise(v, noise, multiplier, this.random);
  }

  /** Recomputes the value from the motors' positions. */
  trigger(): Status {
    return this.val.trigger();
  }

  /** Connects, then triggers once (as ophyd.sim does at construction). */
  override async connect(options?: ConnectOptions): Promise<void> {
    await super.connect(options);
    await this.trigger();
  }

  subscribe(callback: ReadingsCallback): () => void {
    return this.val.subscribe(callback);
  }

  clearSub(callback: ReadingsCallback): void {
    this.val.clearSub(callback);
  }
}

/**
 * ophyd.sim's SynGauss: `v = Imax · exp(−(m − center)² / (2 sigma²))`, m the motor's
 * `motorField` reading at trigger time, plus noise ("poisson": Poisson(round(v));
 * "uniform": v + uniform(−1, 1) · noise_multiplier). Reads `{<name>: v}`; configuration
 * `<name>_Imax`, `_center`, `_sigma`, `_noise`, `_noise_multiplier`.
 */
export class SynGauss extends GaussDetector<number> {
  readonly #motor: Readable;
  readonly #motorField: string;

  constructor(
    name: string,
    motor: Readable,
    motorField: string,
    options: GaussOptions & { center?: number } = {},
  ) {
    super(name, options.center ?? 0, options.Imax ?? 10, options);
    this.#motor = motor;
    this.#motorField = motorField;
  }

  protected async peak(): Promise<number> {
    const [m, center, Imax, sigma] = await Promise.all([
      fieldOf(this.#motor, this.#motorField, this.name),
      this.center.getValue(),
      this.Imax.getValue(),
      this.sigma.getValue(),
    ]);
    return gaussian(m, center, Imax, sigma);
  }
}

/**
 * ophyd.sim's Syn2DGauss: `v = Imax · exp(−((x − cx)² + (y − cy)²) / (2 sigma²))`, x and y
 * the two motors' readings, plus noise as SynGauss. `<name>_center` is `[cx, cy]`.
 */
export class Syn2DGauss extends GaussDetector<[number, number]> {
  readonly #motors: [[Readable, string], [Readable, string]];

  constructor(
    name: string,
    motors: [[Readable, string], [Readable, string]],
    options: GaussOptions & { center?: [number, number] } = {},
  ) {
    super(name, options.center ?? [0, 0], options.Imax ?? 1, options);
    this.#motors = motors;
  }

  protected async peak(): Promise<number> {
    const [[m0, f0], [m1, f1]] = this.#motors;
    const [x, y, center, Imax, sigma] = await Promise.all([
      fieldOf(m0, f0, this.name),
      fieldOf(m1, f1, this.name),
      this.center.getValue(),
      this.Imax.getValue(),
      this.sigma.getValue(),
    ]);
    return gaussian2d([x, y], center, Imax, sigma);
  }
}
