import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Dataset, File, Group } from "h5wasm/node";

type H5wasm = typeof import("h5wasm/node");
let loading: Promise<H5wasm> | undefined;

/** h5wasm, loaded on first use: its 14 MB of WebAssembly take seconds to load. */
function h5wasm(): Promise<H5wasm> {
  loading ??= import("h5wasm/node").then(async (module) => {
    await module.ready;
    return module;
  });
  return loading;
}

/** Where and how frames are written. */
export interface Hdf5FrameWriterOptions {
  /** Path of the dataset inside the file (default "/entry/data/data"). */
  dataset?: string;
  /** The shape of one frame: [] for scalars, [n] for spectra, [rows, columns] for images. */
  frameShape: number[];
}

/**
 * Appends float64 frames to a resizable, chunked (one frame per chunk) HDF5 dataset
 * with h5wasm, flushing after each so readers see every frame written.
 */
export class Hdf5FrameWriter {
  readonly path: string;
  readonly datasetPath: string;
  readonly frameShape: number[];
  #file: File | undefined;
  #dataset: Dataset;
  #length = 0;

  private constructor(path: string, file: File, dataset: Dataset, options: Hdf5FrameWriterOptions) {
    this.path = path;
    this.#file = file;
    this.#dataset = dataset;
    this.datasetPath = options.dataset ?? "/entry/data/data";
    this.frameShape = options.frameShape;
  }

  /** Creates (or truncates) the file at `path` and its empty dataset. */
  static async create(path: string, options: Hdf5FrameWriterOptions): Promise<Hdf5FrameWriter> {
    const { File, Group } = await h5wasm();
    const absolute = resolve(path);
    mkdirSync(dirname(absolute), { recursive: true });
    const file = new File(absolute, "w");
    const datasetPath = options.dataset ?? "/entry/data/data";
    const parts = datasetPath.split("/").filter(Boolean);
    const name = parts.pop() ?? "data";
    let group: Group = file;
    for (const part of parts) {
      const existing = group.get(part);
      group = existing instanceof Group ? existing : group.create_group(part);
    }
    const { frameShape } = options;
    const dataset = group.create_dataset({
      name,
      data: new Float64Array(0),
      shape: [0, ...frameShape],
      maxshape: [null, ...frameShape],
      chunks: [1, ...frameShape],
      dtype: "<d",
    });
    file.flush();
    return new Hdf5FrameWriter(absolute, file, dataset, options);
  }

  /** Frames written so far. */
  get length(): number {
    return this.#length;
  }

  /** The chunk shape, for StreamResource parameters. */
  get chunkShape(): number[] {
    return [1, ...this.frameShape];
  }

  /** Appends one frame (row-major, `frameShape` elements); returns its index. */
  append(frame: Float64Array): number {
    if (!this.#file) throw new Error(`${this.path} is closed`);
    const index = this.#length;
    this.#dataset.resize([index + 1, ...this.frameShape]);
    this.#dataset.write_slice([[index, index + 1], ...this.frameShape.map((): [] => [])], frame);
    this.#file.flush();
    this.#length = index + 1;
    return index;
  }

  /** Closes the file (idempotent). */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}

/** Reads a dataset back as a flat Float64Array with its shape (tests and quick looks). */
export async function readHdf5Dataset(
  path: string,
  dataset: string,
): Promise<{ shape: number[]; data: Float64Array }> {
  const { Dataset, File } = await h5wasm();
  const file = new File(resolve(path), "r");
  try {
    const entity = file.get(dataset);
    if (!(entity instanceof Dataset)) throw new Error(`${path} has no dataset ${dataset}`);
    const value = entity.value;
    return { shape: entity.shape ?? [], data: Float64Array.from(value as ArrayLike<number>) };
  } finally {
    file.close();
  }
}
