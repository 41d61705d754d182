// External asset documents from devices (resource/datum, stream_resource/stream_datum): the run
// fills in what devices cannot know (run_start, descriptor, seq_nums) and emits them.
import type { Asset, StreamAsset } from "@cerulean/devices/protocols";
import type { Resource, StreamDatum, StreamResource } from "@cerulean/event-model";
import type { RunBundler } from "./run-bundler.ts";

/** An asset document as a device hands it over: `[name, doc]`. */
export type AssetDoc = Asset | StreamAsset;

/**
 * Emits asset documents of stream `streamName`, completing them; returns the row width of the
 * stream_datum documents (all must agree), 0 when there were none.
 */
export function packAssets(
  run: RunBundler,
  docs: readonly AssetDoc[],
  streamName: string | undefined,
): number {
  let width = 0;
  const received = new Set<string>();
  const stream = streamName === undefined ? undefined : run.streams.get(streamName);
  for (const [name, doc] of docs) {
    switch (name) {
      case "resource": {
        const resource: Resource = { ...doc, run_start: run.uid };
        run.emit("resource", resource);
        break;
      }
      case "datum":
        run.emit("datum", doc);
        break;
      case "stream_resource": {
        const sr: StreamResource = { ...doc, run_start: run.uid };
        if (run.streamResources.has(sr.uid)) {
          throw new Error(`stream_resource ${sr.uid} was received twice`);
        }
        if (stream === undefined || !stream.streamKeys.includes(sr.data_key)) {
          throw new Error(
            `stream_resource ${sr.uid} is for data key "${sr.data_key}", which is not a "STREAM:" data key of stream "${streamName}" (those are: ${stream?.streamKeys.join(", ") || "none"})`,
          );
        }
        run.streamResources.set(sr.uid, sr.data_key);
        run.emit("stream_resource", sr);
        break;
      }
      case "stream_datum": {
        if (doc.descriptor) {
          throw new Error(
            `stream_datum ${doc.uid} arrived with descriptor "${doc.descriptor}"; devices leave it "" for the RunEngine to fill`,
          );
        }
        if (doc.seq_nums.start !== 0 || doc.seq_nums.stop !== 0) {
          throw new Error(
            `stream_datum ${doc.uid} arrived with seq_nums ${JSON.stringify(doc.seq_nums)}; devices leave them {start: 0, stop: 0} for the RunEngine to fill`,
          );
        }
        if (stream === undefined || streamName === undefined) {
          throw new Error(
            `stream_datum ${doc.uid} arrived before a descriptor of its stream was made`,
          );
        }
        const dataKey = run.streamResources.get(doc.stream_resource);
        if (dataKey === undefined) {
          throw new Error(
            `stream_datum ${doc.uid} refers to unknown stream_resource ${doc.stream_resource}`,
          );
        }
        received.add(dataKey);
        const rows = doc.indices.stop - doc.indices.start;
        if (width !== 0 && rows !== width) {
          throw new Error(
            `stream_datum ${doc.uid} covers ${rows} rows but other stream_datums of the same collect cover ${width}`,
          );
        }
        width = rows;
        const next = run.counters.get(streamName) ?? 1;
        const datum: StreamDatum = {
          ...doc,
          descriptor: stream.bundle.descriptorDoc.uid,
          seq_nums: { start: next, stop: next + rows },
        };
        run.emit("stream_datum", datum);
        break;
      }
      default:
        throw new Error(
          `a device handed over a "${String(name)}" document; asset documents are resource, datum, stream_resource and stream_datum`,
        );
    }
  }
  if (stream && received.size > 0) {
    const missing = stream.streamKeys.filter((k) => !received.has(k));
    if (missing.length > 0) {
      throw new Error(
        `stream_datum documents of stream "${streamName}" cover ${[...received].join(", ")} but not ${missing.join(", ")}; every "STREAM:" data key needs one`,
      );
    }
  }
  return width;
}
