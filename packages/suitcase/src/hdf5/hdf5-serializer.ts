import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type {
  DatumPage,
  EventDescriptor,
  EventPage,
  Resource,
  RunStart,
  RunStop,
  StreamDatum,
  StreamResource,
} from "@cerulean/event-model";
import { encodeJson } from "@cerulean/event-model";
import { PagedSerializer } from "../core/paged-serializer.ts";
import { callable, type Serializer, type SerializerOptions } from "../core/run-serializer.ts";
import { FileExistsError, SuitcaseError } from "../errors.ts";
import { chooseDefaultPlot } from "./default-plot.ts";
import { checkDiskWrites, type H5, type H5File, type H5Group, loadH5 } from "./h5.ts";
import { AppendableColumn } from "./h5-column.ts";
import { h5Name, mirrorMetadata, writeJson } from "./metadata.ts";
import { streamResourceTarget } from "./read-frames.ts";
import { StreamWriter } from "./stream-writer.ts";

export interface Hdf5SerializerOptions extends SerializerOptions {
  /** Events kept in memory per stream before they are written (default 1000; 1 = every event). */
  batchRows?: number;
  /** Bytes kept in memory before writing (default 4 MiB). */
  batchBytes?: number;
  /** Longest time (ms) events wait in memory before being written (default 1000). */
  maxDelayMs?: number;
}

/**
 * Writes a run to one NeXus/HDF5 file, `<stem>.h5`: `/entry` (NXentry) holds the metadata, the
 * documents as JSON, each stream as appendable datasets under `/entry/bluesky/streams/<stream>`
 * (a row per event; images as 3-D datasets), and `/entry/data` (NXdata) plotting the hinted
 * signal of the primary stream by default. External detector data is linked, not copied.
 * A value that does not fit its dataset keeps its event: the cell gets a fill value (NaN for
 * floats) and the value is kept as JSON in `<stream>/misfits`, with a warning (StreamWriter).
 */
export async function createHdf5Serializer(options: Hdf5SerializerOptions): Promise<Serializer> {
  return callable(new Hdf5Serializer(options, await loadH5()));
}

const DOCUMENT_LOGS = ["resource", "datum_page", "stream_resource", "stream_datum"] as const;
type LoggedDocument = (typeof DOCUMENT_LOGS)[number];

class Hdf5Serializer extends PagedSerializer {
  private file: H5File | null = null;
  private path = "";
  private entry: H5Group | null = null;
  private bluesky: H5Group | null = null;
  private streamsGroup: H5Group | null = null;
  private readonly streams = new Map<string, StreamWriter>();
  private readonly descriptorLogs = new Map<string, AppendableColumn>();
  private readonly logs = new Map<LoggedDocument, AppendableColumn>();
  private nxdata: { group: H5Group; stream: string; fields: Set<string> } | null = null;
  private readonly firstDescriptors = new Map<string, EventDescriptor>();
  private deferredError: unknown = undefined;
  private readonly linked = new Set<string>();
  private readonly datumResource = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly batchRows: number;
  private readonly batchBytes: number;
  private readonly maxDelayMs: number;

  constructor(
    options: Hdf5SerializerOptions,
    private readonly h5: H5,
  ) {
    super(options);
    this.batchRows = Math.max(1, options.batchRows ?? 1000);
    this.batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
  }

  protected get label(): string {
    return "HDF5 serializer";
  }

  protected override write(name: string, doc: Record<string, unknown>): void {
    checkDiskWrites(this.path || join(this.directory, `${this.stem}.h5`), () => {
      super.write(name, doc);
      this.flushSoon();
    });
    this.throwDeferred();
  }

  /** Reports (once) a failure of a timed flush, which had no caller to throw to. */
  private throwDeferred(): void {
    const error = this.deferredError;
    if (error === undefined) return;
    this.deferredError = undefined;
    throw error;
  }

  protected override onStart(start: RunStart): void {
    this.path = join(this.directory, `${this.stem}.h5`);
    const h5 = this.h5;
    this.file = this.createFile(this.path, (path) => {
      if (existsSync(path)) throw new FileExistsError(path);
      try {
        mkdirSync(this.directory, { recursive: true });
        return new h5.File(path, "x");
      } catch (err) {
        throw new SuitcaseError(`cannot create ${path}: ${(err as Error).message}`, { cause: err });
      }
    });
    const file = this.file;
    file.create_attribute("NX_class", "NXroot");
    file.create_attribute("default", "entry");
    file.create_attribute("file_name", this.path);
    file.create_attribute("file_time", new Date().toISOString());
    file.create_attribute("creator", "cerulean suitcase");
    const entry = file.create_group("entry");
    entry.create_attribute("NX_class", "NXentry");
    entry.create_dataset({ name: "entry_identifier", data: start.uid });
    entry.create_dataset({ name: "start_time", data: isoTime(start.time) });
    if (typeof start["plan_name"] === "string")
      entry.create_dataset({ name: "title", data: start["plan_name"] });
    const bluesky = entry.create_group("bluesky");
    bluesky.create_attribute("NX_class", "NXcollection");
    writeJson(bluesky, "start", start);
    const metadata = bluesky.create_group("metadata");
    metadata.create_attribute("NX_class", "NXcollection");
    mirrorMetadata(metadata, start);
    this.streamsGroup = bluesky.create_group("streams");
    this.streamsGroup.create_attribute("NX_class", "NXcollection");
    this.entry = entry;
    this.bluesky = bluesky;
    file.flush();
  }

  protected override onDescriptor(descriptor: EventDescriptor): void {
    const stream = this.stream(descriptor);
    let log = this.descriptorLogs.get(stream.name);
    if (!log) {
      log = new AppendableColumn(stream.group, "descriptors", { type: "json" });
      this.descriptorLogs.set(stream.name, log);
    }
    log.append({ rows: 1, strings: [encodeJson(descriptor)] });
    if (!this.firstDescriptors.has(stream.name)) this.firstDescriptors.set(stream.name, descriptor);
    if (this.nxdata === null && stream.name === "primary") this.makeNxdata(descriptor, stream);
  }

  protected override onEventPage(page: EventPage, descriptor: EventDescriptor): void {
    const stream = this.stream(descriptor);
    stream.appendPage(page, descriptor);
    for (const [key, filled] of Object.entries(page.filled ?? {})) {
      if (filled[0] !== false) continue;
      for (const datumId of page.data[key] ?? []) {
        if (typeof datumId === "string") this.linkResourceOf(stream, key, datumId);
      }
    }
  }

  protected override onResource(resource: Resource): void {
    this.log("resource", resource);
  }

  protected override onDatumPage(page: DatumPage): void {
    this.log("datum_page", page);
    for (const id of page.datum_id) this.datumResource.set(id, page.resource);
  }

  protected override onStreamResource(streamResource: StreamResource): void {
    this.log("stream_resource", streamResource);
  }

  protected override onStreamDatum(
    datum: StreamDatum,
    streamResource: StreamResource,
    descriptor: EventDescriptor,
  ): void {
    this.log("stream_datum", datum);
    const id = `${streamResource.uid}`;
    if (this.linked.has(id)) return;
    const { path, dataset } = streamResourceTarget(streamResource);
    this.linkExternal(this.stream(descriptor), streamResource.data_key, path, dataset);
    this.linked.add(id);
  }

  protected override onStop(stop: RunStop): void {
    const entry = this.entry;
    if (!entry || !this.bluesky) return;
    writeJson(this.bluesky, "stop", stop);
    entry.create_dataset({ name: "end_time", data: isoTime(stop.time) });
    entry.create_dataset({ name: "exit_status", data: stop.exit_status });
  }

  protected finish(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const file = this.file;
    if (!file) return;
    this.file = null;
    checkDiskWrites(this.path, () => this.closeFile(file));
    this.throwDeferred();
  }

  private closeFile(file: H5File): void {
    try {
      // A run without a "primary" stream plots its first stream that has something to plot.
      for (const [name, descriptor] of this.firstDescriptors) {
        if (this.nxdata !== null) break;
        const stream = this.streams.get(name);
        if (stream) this.makeNxdata(descriptor, stream);
      }
      this.flushAll(file);
    } finally {
      file.close();
    }
  }

  private stream(descriptor: EventDescriptor): StreamWriter {
    const name = this.streamName(descriptor);
    let stream = this.streams.get(name);
    if (!stream) {
      if (!this.streamsGroup) throw new SuitcaseError("HDF5 serializer: the file is not open");
      stream = new StreamWriter(this.streamsGroup, name, (key, path) =>
        this.columnCreated(name, key, path),
      );
      this.streams.set(name, stream);
    }
    return stream;
  }

  private makeNxdata(descriptor: EventDescriptor, stream: StreamWriter): void {
    if (!this.entry || !this.startDoc) return;
    const plot = chooseDefaultPlot(this.startDoc, descriptor);
    if (!plot) return;
    const group = this.entry.create_group("data");
    group.create_attribute("NX_class", "NXdata");
    group.create_attribute("signal", h5Name(plot.signal));
    group.create_attribute(
      "axes",
      plot.axes.map((a) => (a === "." ? a : h5Name(a))),
    );
    if (plot.auxiliarySignals.length > 0) {
      group.create_attribute("auxiliary_signals", plot.auxiliarySignals.map(h5Name));
    }
    for (const axis of plot.axisFields) {
      group.create_attribute(`${h5Name(axis)}_indices`, new Int32Array([0]), [], "<i");
    }
    this.entry.create_attribute("default", "data");
    const fields = new Set([plot.signal, ...plot.auxiliarySignals, ...plot.axisFields]);
    this.nxdata = { group, stream: stream.name, fields };
    if (fields.has("time")) group.create_soft_link(`${stream.group.path}/time`, "time");
    // Datasets made before NXdata (when primary is not the first stream) are linked now.
    const existing = stream.data.keys();
    for (const field of fields) {
      if (field !== "time" && existing.includes(h5Name(field))) {
        this.columnCreated(stream.name, field, `${stream.data.path}/${h5Name(field)}`);
      }
    }
  }

  private columnCreated(stream: string, key: string, path: string): void {
    const nxdata = this.nxdata;
    if (!nxdata || nxdata.stream !== stream || !nxdata.fields.has(key) || key === "time") return;
    if (!nxdata.group.keys().includes(h5Name(key)))
      nxdata.group.create_soft_link(path, h5Name(key));
  }

  private linkResourceOf(stream: StreamWriter, key: string, datumId: string): void {
    const resourceUid = this.datumResource.get(datumId) ?? datumId.split("/")[0] ?? "";
    // A datum is used by one event: forgetting it keeps the map as small as the datums pending.
    this.datumResource.delete(datumId);
    const id = `${stream.name}\u0000${key}\u0000${resourceUid}`;
    if (this.linked.has(id)) return;
    this.linked.add(id);
    const resource = this.resources.get(resourceUid);
    if (!resource) return;
    const dataset =
      resource.resource_kwargs["dataset"] ??
      (resource.spec.startsWith("AD_HDF5") ? "/entry/data/data" : undefined);
    if (typeof dataset !== "string") return;
    const path = resource.root
      ? join(resource.root, resource.resource_path)
      : resource.resource_path;
    this.linkExternal(stream, key, path, dataset);
  }

  /** Links `data/<key>` (then `<key>_part2`...) to a dataset in the detector's file. */
  private linkExternal(stream: StreamWriter, key: string, path: string, dataset: string): void {
    const existing = stream.data.keys();
    let name = h5Name(key);
    for (let part = 2; existing.includes(name); part++) name = `${h5Name(key)}_part${part}`;
    // Relative to this file, so the files can move together; HDF5 resolves it from here.
    const target = path.startsWith("/") ? relative(dirname(this.path), path) : path;
    stream.data.create_external_link(target, dataset, name);
    this.columnCreated(stream.name, key, `${stream.data.path}/${name}`);
  }

  private log(name: LoggedDocument, doc: object): void {
    let log = this.logs.get(name);
    if (!log) {
      if (!this.bluesky) throw new SuitcaseError("HDF5 serializer: the file is not open");
      const group = this.bluesky.keys().includes("documents")
        ? (this.bluesky.get("documents") as H5Group)
        : this.bluesky.create_group("documents");
      log = new AppendableColumn(group, name, { type: "json" });
      this.logs.set(name, log);
    }
    log.append({ rows: 1, strings: [encodeJson(doc)] });
  }

  private flushSoon(): void {
    let rows = 0;
    let bytes = 0;
    for (const stream of this.streams.values()) {
      rows = Math.max(rows, stream.bufferedRows);
      bytes += stream.bufferedBytes;
    }
    if (rows >= this.batchRows || bytes >= this.batchBytes) {
      if (this.file) this.flushAll(this.file);
      return;
    }
    const pending = [...this.descriptorLogs.values(), ...this.logs.values()].some(
      (l) => l.bufferedBytes > 0,
    );
    if (this.timer === null && (rows > 0 || pending)) {
      this.timer = setTimeout(() => {
        this.timer = null;
        try {
          const file = this.file;
          if (file) checkDiskWrites(this.path, () => this.flushAll(file));
        } catch (err) {
          this.deferredError ??= err;
        }
      }, this.maxDelayMs);
      this.timer.unref();
    }
  }

  private flushAll(file: H5File): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const stream of this.streams.values()) stream.flush();
    for (const log of this.descriptorLogs.values()) log.flush();
    for (const log of this.logs.values()) log.flush();
    file.flush();
  }
}

function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
