import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { DataKey } from "@cerulean/event-model";
import { AsyncStatus } from "../core/async-status.ts";
import { DeviceStateError, DeviceStoppedError, InvalidValueError } from "../core/errors.ts";
import type { SignalR } from "../core/signal.ts";
import type { SignalRW } from "../core/signal-rw.ts";
import { softSignalRAndSetter, softSignalRW } from "../core/soft-signal.ts";
import { StandardReadable } from "../core/standard-readable.ts";
import { failedStatus } from "../core/status.ts";
import { sleep } from "../core/time.ts";
import type { StreamAsset } from "../protocols/assets.ts";
import type { Readable } from "../protocols/readable.ts";
import type { DataKeys } from "../protocols/reading.ts";
import type { Status } from "../protocols/status.ts";
import type { StopOptions } from "../protocols/stoppable.ts";
import { gaussian } from "./gaussian.ts";
import { Hdf5StreamWriter } from "./hdf5-stream-writer.ts";
import { frameSum, type SpotGeometry, spotFrame } from "./image-frame.ts";

/** Options of a SimImageDetector. */
export interface SimImageDetectorOptions {
  /** Folder for the HDF5 files (one per stage). */
  dataDir: string;
  /** The motor whose position sets the intensity (constant Imax without one). */
  motor?: Readable;
  motorField?: string;
  /** Intensity curve over the motor position (defaults 0, 1000, 1). */
  center?: number;
  Imax?: number;
  sigma?: number;
  /** [rows, columns], default [24, 32]. */
  shape?: [number, number];
  /** Spot width in pixels (default columns / 8). */
  spotSigma?: number;
  /** Seconds per frame (default 0). */
  exposureTime?: number;
}

/** What `prepare` takes: frames for the next fly (kickoff/complete). */
export interface ImagePrepareValue {
  frames: number;
  /** Seconds per frame; the current exposure time when omitted. */
  exposureTime?: number;
}

/**
 * A simulated area detector writing frames to HDF5 and describing them with
 * StreamResource/StreamDatum (as ophyd-async detectors do). Each frame is a spot
 * (see `spotFrame`) of intensity `Imax · exp(−(m − center)² / (2 sigma²))`, m the motor
 * position at the frame. Reads `<name>_sum` (hinted); `describe()` adds `<name>`, the frame,
 * with `external: "STREAM:"`. Stage opens a new file, unstage closes it. Step scans:
 * `trigger` writes one frame. Fly scans: `prepare({frames})`, `kickoff`, `complete`.
 */
export class SimImageDetector extends StandardReadable {
  readonly sum: SignalR<number>;
  readonly exposureTime: SignalRW<number>;
  readonly geometry: SpotGeometry;
  readonly #options: SimImageDetectorOptions;
  readonly #setSum: (value: number) => void;
  #writer: Hdf5StreamWriter | undefined;
  #planned: ImagePrepareValue | undefined;
  #flight: AsyncStatus | undefined;
  #stopRequest: "success" | "failure" | undefined;

  constructor(name: string, options: SimImageDetectorOptions) {
    super(name);
    this.#options = options;
    const shape = options.shape ?? [24, 32];
    this.geometry = { shape, spotSigma: options.spotSigma ?? shape[1] / 8 };
    const [sum, setSum] = softSignalRAndSetter(0, "", { precision: 3 });
    this.#setSum = setSum;
    this.sum = this.addChild("sum", sum, { kind: "hinted" });
    const exposure = softSignalRW(options.exposureTime ?? 0, "", { units: "s" });
    this.exposureTime = this.addChild("exposure_time", exposure, { kind: "config" });
  }

  /** The current file, while staged. */
  get filePath(): string | undefined {
    return this.#writer?.path;
  }

  /** The DataKey of the frames: external, in the stream resource. */
  imageDataKey(): DataKey {
    return {
      source: `sim://${this.name}`,
      dtype: "array",
      dtype_numpy: "<f8",
      shape: [...this.geometry.shape],
      external: "STREAM:",
    };
  }

  override async describe(): Promise<DataKeys> {
    return { ...(await super.describe()), [this.name]: this.imageDataKey() };
  }

  /** Exposes and writes one frame; fails unless staged. */
  trigger(): Status {
    return new AsyncStatus(({ signal }) => this.#acquire(signal), {
      operation: `${this.name} trigger()`,
    });
  }

  *collectAssetDocs(index?: number): Generator<StreamAsset> {
    if (this.#writer) yield* this.#writer.collectAssetDocs(index);
  }

  async getIndex(): Promise<number> {
    return this.#writer?.index ?? 0;
  }

  /** Sets the number of frames (and exposure) of the next fly. */
  prepare(value: ImagePrepareValue): Status {
    return new AsyncStatus(
      async () => {
        if (!Number.isInteger(value.frames) || value.frames < 1) {
          throw new InvalidValueError(this.name, value.frames, "a number of frames >= 1");
        }
        if (value.exposureTime !== undefined) await this.exposureTime.set(value.exposureTime);
        this.#planned = value;
      },
      { operation: `${this.name} prepare(${value.frames} frames)` },
    );
  }

  /** Starts taking the prepared frames; done once started. */
  kickoff(): Status {
    const operation = `${this.name} kickoff()`;
    const planned = this.#planned;
    if (!planned)
      return failedStatus(new DeviceStateError(this.name, "kickoff", "not prepared"), operation);
    if (!this.#writer)
      return failedStatus(new DeviceStateError(this.name, "kickoff", "not staged"), operation);
    if (this.#flight && !this.#flight.done) {
      return failedStatus(new DeviceStateError(this.name, "kickoff", "still flying"), operation);
    }
    this.#stopRequest = undefined;
    this.#flight = new AsyncStatus(
      async ({ signal, progress }) => {
        const t0 = performance.now();
        for (let i = 0; i < planned.frames; i++) {
          if (this.#stopRequest === "success") return;
          if (this.#stopRequest === "failure") {
            throw new DeviceStoppedError(`${this.name} fly`, `after ${i} frames`);
          }
          // Zero exposure takes no timer: let the event loop (Ctrl-C, pause, cancel) in each frame.
          await new Promise((resolve) => setImmediate(resolve));
          signal.throwIfAborted();
          await this.#acquire(signal);
          const elapsed = (performance.now() - t0) / 1000;
          const perFrame = elapsed / (i + 1);
          progress({
            name: this.name,
            current: i + 1,
            initial: 0,
            target: planned.frames,
            unit: "frames",
            fraction: 1 - (i + 1) / planned.frames,
            timeElapsed: elapsed,
            timeRemaining: perFrame * (planned.frames - i - 1),
          });
        }
      },
      { operation: `${this.name} fly(${planned.frames} frames)` },
    );
    this.#planned = undefined;
    return new AsyncStatus(async () => {}, { operation });
  }

  /** Done when the frames of the fly are all written. */
  complete(): Status {
    return (
      this.#flight ??
      failedStatus(
        new DeviceStateError(this.name, "complete", "never kicked off"),
        `${this.name} complete()`,
      )
    );
  }

  /** `{<name>: frame DataKey}`: a fly collects only the frames. */
  async describeCollect(): Promise<DataKeys> {
    return { [this.name]: this.imageDataKey() };
  }

  /** Ends a fly after the current frame: `complete` then succeeds, or fails if `success` is false. */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#flight && !this.#flight.done) {
      this.#stopRequest = (options.success ?? true) ? "success" : "failure";
    }
  }

  protected override async onStage(): Promise<void> {
    const file = `${this.name}_${randomUUID().slice(0, 8)}.h5`;
    this.#writer = await Hdf5StreamWriter.open({
      path: join(this.#options.dataDir, file),
      dataKey: this.name,
      frameShape: [...this.geometry.shape],
    });
  }

  protected override async onUnstage(): Promise<void> {
    this.#flight?.cancel("unstaged");
    this.#writer?.close();
    this.#writer = undefined;
  }

  async #intensity(): Promise<number> {
    const { motor, motorField, center = 0, Imax = 1000, sigma = 1 } = this.#options;
    if (!motor) return Imax;
    const reading = (await motor.read())[motorField ?? motor.name];
    const m = typeof reading?.value === "number" ? reading.value : Number.NaN;
    return gaussian(m, center, Imax, sigma);
  }

  async #acquire(signal: AbortSignal): Promise<void> {
    const writer = this.#writer;
    if (!writer)
      throw new DeviceStateError(this.name, "acquire", "not staged (stage opens its file)");
    const exposure = await this.exposureTime.getValue();
    if (exposure > 0) await sleep(exposure, signal);
    const frame = spotFrame(await this.#intensity(), this.geometry);
    writer.append(frame);
    this.#setSum(frameSum(frame));
  }
}
