import type { Datum, PartialResource, StreamDatum, StreamResource } from "@cerulean/event-model";
import type { AnyIterable } from "./collectable.ts";

/** A Resource/Datum document for data a device wrote outside the events (one file per datum). */
export type Asset = readonly ["resource", PartialResource] | readonly ["datum", Datum];

/**
 * A StreamResource/StreamDatum document. The StreamDatum comes with `descriptor: ""` and
 * `seq_nums: {start: 0, stop: 0}`: the engine fills them in.
 */
export type StreamAsset =
  | readonly ["stream_resource", StreamResource]
  | readonly ["stream_datum", StreamDatum];

/** Writes data to files and describes them with Resource/Datum documents. */
export interface WritesExternalAssets {
  /** The documents produced since the last call. */
  collectAssetDocs(): AnyIterable<Asset>;
}

/** Writes data to streams (HDF5 datasets) and describes them with StreamResource/StreamDatum. */
export interface WritesStreamAssets {
  /**
   * The documents for the frames written since the last call, up to `index` (exclusive)
   * when given; each StreamResource comes once, before its first StreamDatum.
   */
  collectAssetDocs(index?: number): AnyIterable<StreamAsset>;
  /** How many frames have been written so far (the index the next frame will get). */
  getIndex(): Promise<number>;
}
