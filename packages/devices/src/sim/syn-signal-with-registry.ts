import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { type ComposeResourceBundle, composeResource } from "@cerulean/event-model";
import { AsyncStatus } from "../core/async-status.ts";
import { DeviceStateError } from "../core/errors.ts";
import { StandardReadable } from "../core/standard-readable.ts";
import { now } from "../core/time.ts";
import type { Asset } from "../protocols/assets.ts";
import type { DataKeys, Reading, Readings } from "../protocols/reading.ts";
import type { Status } from "../protocols/status.ts";
import { Hdf5FrameWriter } from "./hdf5-frame-writer.ts";

/** Options of a SynSignalWithRegistry. */
export interface SynSignalWithRegistryOptions {
  /** Folder of the HDF5 files (one per stage). */
  dataDir: string;
  /** [rows, columns] of each frame (default [10, 10]). */
  shape?: [number, number];
  /** The frame of each trigger, row-major (default all ones, as ophyd.sim's `img`). */
  func?: () => Float64Array;
}

/**
 * ophyd.sim's `img` (SynSignalWithRegistry): each trigger writes a frame (10×10 ones by
 * default) to an HDF5 file and reads `{<name>: datum_id}`, described with
 * `external: "FILESTORE:"`; the Resource (spec "AD_HDF5", one per stage, `frame_per_point: 1`)
 * and a Datum per frame (`point_number`) come from `collectAssetDocs`. (ophyd writes .npy
 * files with spec NPY_SEQ; HDF5 keeps all frames in one file that databroker's AD_HDF5
 * handler reads.)
 */
export class SynSignalWithRegistry extends StandardReadable {
  readonly shape: [number, number];
  readonly #options: SynSignalWithRegistryOptions;
  #writer: Hdf5FrameWriter | undefined;
  #bundle: ComposeResourceBundle | undefined;
  #pending: Asset[] = [];
  #reading: Reading<string> | undefined;

  constructor(name: string, options: SynSignalWithRegistryOptions) {
    super(name);
    this.#options = options;
    this.shape = options.shape ?? [10, 10];
  }

  override async read(): Promise<Readings> {
    return this.#reading ? { [this.name]: { ...this.#reading } } : {};
  }

  override async describe(): Promise<DataKeys> {
    return {
      [this.name]: {
        source: `sim://${this.name}`,
        dtype: "array",
        dtype_numpy: "<f8",
        shape: [...this.shape],
        external: "FILESTORE:",
      },
    };
  }

  /** Writes a frame and queues its Datum; fails unless staged. */
  trigger(): Status {
    return new AsyncStatus(
      async () => {
        const writer = this.#writer;
        const bundle = this.#bundle;
        if (!writer || !bundle) {
          throw new DeviceStateError(this.name, "trigger", "not staged (stage opens its file)");
        }
        const [rows, columns] = this.shape;
        const frame = this.#options.func?.() ?? new Float64Array(rows * columns).fill(1);
        const index = writer.append(frame);
        const datum = bundle.composeDatum({ datum_kwargs: { point_number: index } });
        this.#pending.push(["datum", datum]);
        this.#reading = { value: datum.datum_id, timestamp: now() };
      },
      { operation: `${this.name} trigger()` },
    );
  }

  /** The Resource (after stage) and the Datums queued since the last call. */
  *collectAssetDocs(): Generator<Asset> {
    const pending = this.#pending;
    this.#pending = [];
    yield* pending;
  }

  protected override async onStage(): Promise<void> {
    const file = `${this.name}_${randomUUID().slice(0, 8)}.h5`;
    this.#writer = await Hdf5FrameWriter.create(join(this.#options.dataDir, file), {
      frameShape: [...this.shape],
    });
    this.#bundle = composeResource({
      spec: "AD_HDF5",
      root: resolve(this.#options.dataDir),
      resource_path: file,
      resource_kwargs: { frame_per_point: 1 },
    });
    this.#pending = [["resource", this.#bundle.resourceDoc]];
  }

  protected override async onUnstage(): Promise<void> {
    this.#writer?.close();
    this.#writer = undefined;
    this.#bundle = undefined;
    this.#pending = [];
    this.#reading = undefined;
  }
}
