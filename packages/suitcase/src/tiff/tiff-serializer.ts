import { join } from "node:path";
import {
  type DataKey,
  type EventDescriptor,
  type EventPage,
  type StreamDatum,
  type StreamResource,
  UnfilledData,
} from "@cerulean/event-model";
import { castArray, dtypeFromNumpy, dtypeOfArray } from "../core/dtype.ts";
import { safeFileName } from "../core/file-template.ts";
import { type NdArray, product, toNdArray } from "../core/ndarray.ts";
import { PagedSerializer } from "../core/paged-serializer.ts";
import { callable, type Serializer, type SerializerOptions } from "../core/run-serializer.ts";
import { UniqueNames } from "../core/unique-names.ts";
import { DataShapeError, SuitcaseError } from "../errors.ts";
import { type H5, loadH5 } from "../hdf5/h5.ts";
import { readStreamRows } from "../hdf5/read-frames.ts";
import { TIFF_DTYPES, TIFF_MAX_BYTES, type TiffDtype } from "./tiff-encoding.ts";
import { TiffFile } from "./tiff-file.ts";

export interface TiffSerializerOptions extends SerializerOptions {
  /**
   * "stack" (default): one multi-page file per stream and field, `<stem>-<stream>-<field>.tiff`;
   * "series": one file per frame, `<stem>-<stream>-<field>-<NNNNN>.tiff`.
   */
  mode?: "stack" | "series";
  /**
   * Pixel type of every page. Default: the data key's `dtype_numpy` (float64 becomes float32,
   * which TIFF readers expect), else the frames' typed-array type, else float32 (plain numbers:
   * the first frame cannot tell what later ones hold).
   * Values the type cannot hold exactly are refused (DataShapeError), never wrapped or clipped.
   */
  dtype?: TiffDtype;
  /** Digits of the frame counter in series mode (default 5). */
  padding?: number;
  /** Largest stack file before it continues in `...-part2.tiff` (default 4 GiB, TIFF's limit). */
  maxFileBytes?: number;
}

/**
 * Writes the image data of a run (data keys of dtype "array" with 2 or 3 dimensions) as TIFF:
 * images inside events, and images the detector wrote to HDF5 and announced with
 * stream_resource/stream_datum (read from its file as they are announced). Each page is in the
 * file, and the file valid, before the callback returns.
 */
export async function createTiffSerializer(options: TiffSerializerOptions): Promise<Serializer> {
  return callable(new TiffSerializer(options, await loadH5()));
}

/** True for the data keys written as images: arrays of 2 (a frame) or 3 (frames) dimensions. */
export function isImageKey(dataKey: DataKey): boolean {
  const dims = (dataKey.shape ?? []).length;
  return dataKey.dtype === "array" && dims > 1 && dims < 4;
}

interface FieldState {
  /** `<stem>-<stream>-<field>`, distinct for every stream and field. */
  base: string;
  dtype: TiffDtype | undefined;
  stack: TiffFile | null;
  part: number;
  frames: number;
}

class TiffSerializer extends PagedSerializer {
  private readonly fields = new Map<string, FieldState>();
  private readonly names = new UniqueNames();
  private readonly mode: "stack" | "series";
  private readonly padding: number;
  private readonly maxFileBytes: number;

  constructor(
    private readonly options: TiffSerializerOptions,
    private readonly h5: H5,
  ) {
    super(options);
    this.mode = options.mode ?? "stack";
    if (this.mode !== "stack" && this.mode !== "series") {
      throw new SuitcaseError(
        `TIFF serializer: mode must be "stack" or "series", got ${JSON.stringify(this.mode)}`,
      );
    }
    if (options.dtype !== undefined && !TIFF_DTYPES.includes(options.dtype)) {
      throw new SuitcaseError(
        `TIFF serializer: dtype ${JSON.stringify(options.dtype)} is not one of ${TIFF_DTYPES.join(", ")}`,
      );
    }
    this.padding = options.padding ?? 5;
    this.maxFileBytes = Math.min(options.maxFileBytes ?? TIFF_MAX_BYTES, TIFF_MAX_BYTES);
  }

  protected get label(): string {
    return "TIFF serializer";
  }

  protected override onEventPage(page: EventPage, descriptor: EventDescriptor): void {
    const stream = this.streamName(descriptor);
    for (const [key, dataKey] of Object.entries(descriptor.data_keys)) {
      const column = page.data[key];
      if (!isImageKey(dataKey) || column === undefined) continue;
      const filled = page.filled?.[key];
      for (let row = 0; row < column.length; row++) {
        const where = `stream "${stream}" field "${key}" seq_num ${page.seq_num[row]}`;
        if (filled?.[row] === false) {
          throw new UnfilledData(
            `TIFF serializer: ${where} is an unfilled external reference (${JSON.stringify(column[row])}); put an event-model Filler before the serializer`,
          );
        }
        this.writeFrames(stream, key, dataKey, toNdArray(column[row], dataKey.shape, where), where);
      }
    }
  }

  protected override onStreamDatum(
    datum: StreamDatum,
    streamResource: StreamResource,
    descriptor: EventDescriptor,
  ): void {
    const key = streamResource.data_key;
    const dataKey = descriptor.data_keys[key];
    if (!dataKey || !isImageKey(dataKey)) return;
    const stream = this.streamName(descriptor);
    const where = `stream "${stream}" field "${key}" rows [${datum.indices.start}, ${datum.indices.stop}) of ${streamResource.uri}`;
    readStreamRows(this.h5, streamResource, datum.indices, (rows) =>
      this.writeFrames(stream, key, dataKey, rows, where),
    );
  }

  private writeFrames(
    stream: string,
    key: string,
    dataKey: DataKey,
    value: NdArray,
    where: string,
  ): void {
    const { shape, data } = value;
    if (shape.length < 2) {
      throw new DataShapeError(
        `TIFF serializer: ${where} has shape ${JSON.stringify(shape)}; an image needs 2 dimensions`,
      );
    }
    const height = shape[shape.length - 2] as number;
    const width = shape[shape.length - 1] as number;
    const frameSize = width * height;
    const frames = product(shape) / Math.max(frameSize, 1);
    const state = this.fieldState(stream, key);
    for (let f = 0; f < frames; f++) {
      const frame = subarray(data, f * frameSize, frameSize);
      state.dtype ??= this.pixelType(dataKey, frame);
      const pixels = castArray(frame, state.dtype, `TIFF serializer: ${where}`);
      const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
      const page = { width, height, dtype: state.dtype, pixels: bytes };
      const file =
        this.mode === "series" ? this.seriesFile(state) : this.stackFile(state, bytes.byteLength);
      try {
        file.addPage(page);
      } finally {
        if (this.mode === "series") file.close();
      }
      state.frames++;
    }
  }

  private pixelType(dataKey: DataKey, frame: ArrayLike<number>): TiffDtype {
    if (this.options.dtype) return this.options.dtype;
    const declared = dtypeFromNumpy(dataKey.dtype_numpy);
    if (declared === "float64") return "float32";
    if (declared !== undefined && (TIFF_DTYPES as readonly string[]).includes(declared))
      return declared as TiffDtype;
    // Undeclared: a typed array says what it holds; plain numbers go to float32, since the first
    // frame (a dark frame of zeros, say) does not tell what the later ones hold.
    const own = dtypeOfArray(frame);
    return own !== undefined && (TIFF_DTYPES as readonly string[]).includes(own)
      ? (own as TiffDtype)
      : "float32";
  }

  private fieldState(stream: string, key: string): FieldState {
    const id = `${stream}\u0000${key}`;
    let state = this.fields.get(id);
    if (!state) {
      const base = this.names.claim(
        id,
        `${this.stem}-${safeFileName(stream)}-${safeFileName(key)}`,
      );
      state = { base, dtype: undefined, stack: null, part: 1, frames: 0 };
      this.fields.set(id, state);
    }
    return state;
  }

  private seriesFile(state: FieldState): TiffFile {
    const name = `${state.base}-${String(state.frames).padStart(this.padding, "0")}.tiff`;
    return this.createFile(join(this.directory, name), (path) => new TiffFile(path));
  }

  private stackFile(state: FieldState, pixelBytes: number): TiffFile {
    if (state.stack && !state.stack.fits(pixelBytes, this.maxFileBytes)) {
      state.stack.close();
      state.stack = null;
      state.part++;
    }
    if (!state.stack) {
      const suffix = state.part === 1 ? "" : `-part${state.part}`;
      state.stack = this.createFile(
        join(this.directory, `${state.base}${suffix}.tiff`),
        (path) => new TiffFile(path),
      );
    }
    return state.stack;
  }

  protected finish(): void {
    let first: unknown;
    for (const state of this.fields.values()) {
      try {
        state.stack?.close();
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  }
}

function subarray(data: ArrayLike<number>, start: number, length: number): ArrayLike<number> {
  if (start === 0 && data.length === length) return data;
  if (ArrayBuffer.isView(data))
    return (data as unknown as Float64Array).subarray(start, start + length);
  return Array.prototype.slice.call(data, start, start + length) as number[];
}
