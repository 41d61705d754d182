import { type ComposeStreamResourceBundle, composeStreamResource } from "@cerulean/event-model";
import type { StreamAsset } from "../protocols/assets.ts";
import { Hdf5FrameWriter } from "./hdf5-frame-writer.ts";

/** What to write and how it is named in the documents. */
export interface Hdf5StreamWriterOptions {
  path: string;
  /** The descriptor data key the frames belong to. */
  dataKey: string;
  frameShape: number[];
  /** Default "/entry/data/data". */
  dataset?: string;
}

/**
 * Frames in an HDF5 dataset, described by one StreamResource (emitted before the first
 * StreamDatum) and StreamDatums for the frames written since the last collection.
 */
export class Hdf5StreamWriter {
  readonly #writer: Hdf5FrameWriter;
  readonly #bundle: ComposeStreamResourceBundle;
  #resourceSent = false;
  #collected = 0;

  private constructor(writer: Hdf5FrameWriter, bundle: ComposeStreamResourceBundle) {
    this.#writer = writer;
    this.#bundle = bundle;
  }

  static async open(options: Hdf5StreamWriterOptions): Promise<Hdf5StreamWriter> {
    const writer = await Hdf5FrameWriter.create(options.path, {
      frameShape: options.frameShape,
      ...(options.dataset ? { dataset: options.dataset } : {}),
    });
    const bundle = composeStreamResource({
      mimetype: "application/x-hdf5",
      uri: `file://localhost${writer.path}`,
      data_key: options.dataKey,
      parameters: { dataset: writer.datasetPath, chunk_shape: writer.chunkShape },
    });
    return new Hdf5StreamWriter(writer, bundle);
  }

  /** The absolute path of the file. */
  get path(): string {
    return this.#writer.path;
  }

  /** Frames written so far (the index of the next one). */
  get index(): number {
    return this.#writer.length;
  }

  append(frame: Float64Array): number {
    return this.#writer.append(frame);
  }

  /** The StreamResource (first time) and a StreamDatum for frames not yet collected, below `index`. */
  *collectAssetDocs(index?: number): Generator<StreamAsset> {
    const stop = Math.min(index ?? this.index, this.index);
    if (stop <= this.#collected) return;
    if (!this.#resourceSent) {
      this.#resourceSent = true;
      yield ["stream_resource", this.#bundle.streamResourceDoc];
    }
    const indices = { start: this.#collected, stop };
    this.#collected = stop;
    yield ["stream_datum", this.#bundle.composeStreamDatum({ indices })];
  }

  close(): void {
    this.#writer.close();
  }
}
