import { join } from "node:path";
import type { DocumentName } from "@cerulean/event-model";
import { encodeDocumentLine } from "@cerulean/event-model";
import { FileSink, type FileSinkOptions } from "../core/file-sink.ts";
import {
  callable,
  RunSerializer,
  type Serializer,
  type SerializerOptions,
} from "../core/run-serializer.ts";

export interface JsonlSerializerOptions extends SerializerOptions, FileSinkOptions {}

/**
 * Streams a run to `<stem>.jsonl`: one `[name, doc]` JSON array per line, names as received,
 * encoded by event-model's JSON-lines encoder (Python-compatible NaN/Infinity). Each line is in
 * the file when its callback returns; replay it with event-model's `readDocuments`.
 */
export function createJsonlSerializer(options: JsonlSerializerOptions): Serializer {
  return callable(new JsonlSerializer(options));
}

class JsonlSerializer extends RunSerializer {
  private sink: FileSink | null = null;
  private readonly sinkOptions: FileSinkOptions;

  constructor(options: JsonlSerializerOptions) {
    super(options);
    this.sinkOptions = options;
  }

  protected get label(): string {
    return "JSON-lines serializer";
  }

  protected write(name: string, doc: Record<string, unknown>): void {
    const line = `${encodeDocumentLine(name as DocumentName, doc)}\n`;
    if (this.sink === null) {
      this.sink = this.createFile(
        join(this.directory, `${this.stem}.jsonl`),
        (path) => new FileSink(path, this.sinkOptions),
      );
    }
    this.sink.write(line);
    this.sink.flushSoon();
  }

  protected finish(): void {
    this.sink?.close();
  }
}
