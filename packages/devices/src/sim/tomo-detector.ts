import { AsyncStatus } from "../core/async-status.ts";
import { InvalidValueError } from "../core/errors.ts";
import type { SignalR } from "../core/signal.ts";
import type { SignalRW } from "../core/signal-rw.ts";
import { softSignalRAndSetter, softSignalRW } from "../core/soft-signal.ts";
import { StandardReadable } from "../core/standard-readable.ts";
import { sleep } from "../core/time.ts";
import type { Readable } from "../protocols/readable.ts";
import type { Status } from "../protocols/status.ts";
import { normal, type RandomSource } from "./random.ts";
import { TomoPhantom, type TomoPhantomOptions } from "./tomo-phantom.ts";

/** Options of a TomoDetector. */
export interface TomoDetectorOptions {
  /** The rotation motor, in degrees (angle 0 without one). */
  motor?: Readable;
  /** Its field in `read()` (default the motor's name). */
  motorField?: string;
  /** The sample (default a 64 × 64 × 4 Shepp-Logan-like head). */
  phantom?: TomoPhantom | TomoPhantomOptions;
  /** Standard deviation of the Gaussian noise added to every pixel (default 0). */
  noiseSigma?: number;
  /** Uniform [0, 1) source of the noise (default Math.random; seed it for tests). */
  random?: RandomSource;
  /** Seconds per trigger (default 0). */
  exposureTime?: number;
}

/**
 * A simulated parallel-beam tomography detector: on trigger, the projection of its phantom at
 * the rotation motor's angle (degrees), `slices` rows × `size` pixels of line integrals in pixel
 * units (see TomoPhantom), plus optional seeded Gaussian noise. Reads `<name>` (the projection,
 * an inline 2-D array, dtype "array") and `<name>_sum` (hinted: constant over angles without
 * noise, a quick check of the beam). Configuration: `<name>_exposure_time`, `<name>_noise_sigma`.
 */
export class TomoDetector extends StandardReadable {
  readonly image: SignalR<number[][]>;
  readonly sum: SignalR<number>;
  readonly exposureTime: SignalRW<number>;
  readonly noiseSigma: SignalRW<number>;
  readonly phantom: TomoPhantom;
  readonly #options: TomoDetectorOptions;
  readonly #random: RandomSource;
  readonly #setImage: (value: number[][]) => void;
  readonly #setSum: (value: number) => void;

  constructor(name: string, options: TomoDetectorOptions = {}) {
    super(name);
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.phantom =
      options.phantom instanceof TomoPhantom ? options.phantom : new TomoPhantom(options.phantom);
    const { size, slices } = this.phantom;
    const blank = Array.from({ length: slices }, () => new Array<number>(size).fill(0));
    const [image, setImage] = softSignalRAndSetter(blank, "", { shape: [slices, size] });
    const [sum, setSum] = softSignalRAndSetter(0, "", { precision: 3 });
    this.#setImage = setImage;
    this.#setSum = setSum;
    this.image = this.addChild("image", image, { nameAsParent: true });
    this.sum = this.addChild("sum", sum, { kind: "hinted" });
    const exposure = softSignalRW(options.exposureTime ?? 0, "", { units: "s" });
    this.exposureTime = this.addChild("exposure_time", exposure, { kind: "config" });
    const noise = softSignalRW(options.noiseSigma ?? 0);
    this.noiseSigma = this.addChild("noise_sigma", noise, { kind: "config" });
  }

  /** The projection at `angle` degrees with the current noise setting, without storing it. */
  async projectionAt(angle: number): Promise<number[][]> {
    const projection = this.phantom.projection(angle);
    const sigma = await this.noiseSigma.getValue();
    if (sigma > 0) {
      for (const row of projection) {
        for (let j = 0; j < row.length; j++) row[j] = (row[j] ?? 0) + sigma * normal(this.#random);
      }
    }
    return projection;
  }

  /** Takes the projection at the motor's current angle. */
  trigger(): Status {
    return new AsyncStatus(
      async ({ signal }) => {
        const exposure = await this.exposureTime.getValue();
        if (exposure > 0) await sleep(exposure, signal);
        const projection = await this.projectionAt(await this.#angle());
        this.#setImage(projection);
        let total = 0;
        for (const row of projection) for (const v of row) total += v;
        this.#setSum(total);
      },
      { operation: `${this.name} trigger()` },
    );
  }

  async #angle(): Promise<number> {
    const { motor, motorField } = this.#options;
    if (!motor) return 0;
    const field = motorField ?? motor.name;
    const value = (await motor.read())[field]?.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new InvalidValueError(
        this.name,
        value,
        `an angle (number) in ${motor.name}'s "${field}"`,
      );
    }
    return value;
  }
}
