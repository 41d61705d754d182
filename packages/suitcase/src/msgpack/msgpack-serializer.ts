import { join } from "node:path";
import { sanitizeDoc } from "@cerulean/event-model";
import { Encoder } from "@msgpack/msgpack";
import { FileSink, type FileSinkOptions } from "../core/file-sink.ts";
import {
  callable,
  RunSerializer,
  type Serializer,
  type SerializerOptions,
} from "../core/run-serializer.ts";

export interface MsgpackSerializerOptions extends SerializerOptions, FileSinkOptions {}

/**
 * Streams a run to `<stem>.msgpack`: one standard msgpack array `[name, doc]` per document, as
 * received (Python's `msgpack.Unpacker(raw=False)` reads it back; typed arrays are written as
 * arrays of numbers, never as bytes). Each document reaches the file when its callback returns.
 */
export function createMsgpackSerializer(options: MsgpackSerializerOptions): Serializer {
  return callable(new MsgpackSerializer(options));
}

class MsgpackSerializer extends RunSerializer {
  private sink: FileSink | null = null;
  private readonly encoder = new Encoder();
  private readonly sinkOptions: FileSinkOptions;

  constructor(options: MsgpackSerializerOptions) {
    super(options);
    this.sinkOptions = options;
  }

  protected get label(): string {
    return "msgpack serializer";
  }

  protected write(name: string, doc: Record<string, unknown>): void {
    if (this.sink === null) {
      this.sink = this.createFile(
        join(this.directory, `${this.stem}.msgpack`),
        (path) => new FileSink(path, this.sinkOptions),
      );
    }
    this.sink.write(this.encoder.encode([name, sanitizeDoc(doc)]));
    this.sink.flushSoon();
  }

  protected finish(): void {
    this.sink?.close();
  }
}
