import { join } from "node:path";
import {
  type DataKey,
  type EventDescriptor,
  type EventPage,
  UnfilledData,
} from "@cerulean/event-model";
import { FileSink, type FileSinkOptions } from "../core/file-sink.ts";
import { safeFileName } from "../core/file-template.ts";
import { PagedSerializer } from "../core/paged-serializer.ts";
import { callable, type Serializer, type SerializerOptions } from "../core/run-serializer.ts";
import { UniqueNames } from "../core/unique-names.ts";
import { SerializerStateError } from "../errors.ts";
import { csvLine } from "./csv-cells.ts";

export interface CsvSerializerOptions extends SerializerOptions, FileSinkOptions {}

/**
 * Writes one CSV file per stream, `<stem>-<stream>.csv`, with the columns `time`, each scalar
 * data key (in descriptor order) and `seq_num`, one row per event. Array-valued keys (images,
 * spectra) are left out: a cell cannot hold them usefully; use the HDF5 or TIFF serializer. A
 * stream without scalar keys gets no file. A data key named `time` or `seq_num` keeps its values
 * under the header `data:time` (`data:seq_num`), the writer's own columns keep theirs. Streams
 * whose names differ only in characters unsafe in file names get `-2`, `-3`... in arrival order.
 * @example pandas.read_csv("42-primary.csv", index_col="time")
 */
export function createCsvSerializer(options: CsvSerializerOptions): Serializer {
  return callable(new CsvSerializer(options));
}

/** True for the keys the CSV writer gives a column: one scalar per event. */
export function isScalarKey(dataKey: DataKey): boolean {
  return (dataKey.shape ?? []).length === 0 && dataKey.dtype !== "array";
}

interface StreamFile {
  sink: FileSink;
  columns: string[];
  keys: string;
}

class CsvSerializer extends PagedSerializer {
  private readonly streams = new Map<string, StreamFile | null>();
  private readonly sinkOptions: FileSinkOptions;
  private readonly names = new UniqueNames();

  constructor(options: CsvSerializerOptions) {
    super(options);
    this.sinkOptions = options;
  }

  protected get label(): string {
    return "CSV serializer";
  }

  protected override onDescriptor(descriptor: EventDescriptor): void {
    const stream = this.streamName(descriptor);
    const columns = Object.keys(descriptor.data_keys).filter((k) =>
      isScalarKey(descriptor.data_keys[k] as DataKey),
    );
    const known = this.streams.get(stream);
    if (known !== undefined) {
      if ((known?.keys ?? "") !== columns.join(",")) {
        throw new SerializerStateError(
          `CSV serializer: descriptor ${descriptor.uid} of stream "${stream}" has scalar keys ${JSON.stringify(columns)}, unlike the stream's earlier descriptor (${JSON.stringify(known?.columns ?? [])})`,
        );
      }
      return;
    }
    if (columns.length === 0) {
      this.streams.set(stream, null);
      return;
    }
    const name = this.names.claim(stream, `${this.stem}-${safeFileName(stream)}`);
    const path = join(this.directory, `${name}.csv`);
    const sink = this.createFile(path, (p) => new FileSink(p, this.sinkOptions));
    sink.write(csvLine(["time", ...columnHeaders(columns), "seq_num"]));
    sink.flushSoon();
    this.streams.set(stream, { sink, columns, keys: columns.join(",") });
  }

  protected override onEventPage(page: EventPage, descriptor: EventDescriptor): void {
    const file = this.streams.get(this.streamName(descriptor));
    if (!file) return;
    const columns = file.columns.map((key) => {
      const column = page.data[key];
      if (!column) {
        throw new SerializerStateError(
          `CSV serializer: an event page of stream "${this.streamName(descriptor)}" has no data for "${key}"`,
        );
      }
      const filled = page.filled?.[key];
      const unfilled = filled?.indexOf(false) ?? -1;
      if (unfilled >= 0) {
        throw new UnfilledData(
          `CSV serializer: "${key}" of event seq_num ${page.seq_num[unfilled]} is an unfilled external reference; fill it first (event-model Filler)`,
        );
      }
      return column;
    });
    let text = "";
    for (let row = 0; row < page.seq_num.length; row++) {
      const cells: unknown[] = [page.time[row]];
      for (const column of columns) cells.push(column[row]);
      cells.push(page.seq_num[row]);
      text += csvLine(cells);
    }
    file.sink.write(text);
    file.sink.flushSoon();
  }

  protected finish(): void {
    const errors: unknown[] = [];
    for (const file of this.streams.values()) {
      try {
        file?.sink.close();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** Headers for the data-key columns, none equal to the writer's own `time` and `seq_num`. */
function columnHeaders(keys: readonly string[]): string[] {
  const taken = new Set(["time", "seq_num", ...keys]);
  return keys.map((key) => {
    if (key !== "time" && key !== "seq_num") return key;
    let header = `data:${key}`;
    for (let n = 2; taken.has(header); n++) header = `data:${key}-${n}`;
    taken.add(header);
    return header;
  });
}
