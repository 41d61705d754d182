import { EventModelRuntimeError } from "./errors.ts";
import { Filler, LEAVE_UNFILLED } from "./filler.ts";
import type { StreamDatum } from "./schemas/stream.ts";

/**
 * Checks references like a Filler (unseen datum or resource, data keys missing) but never loads
 * or changes data: for consumers that want the datum_ids themselves.
 */
export class NoFiller extends Filler {
  protected override async loadDatum(datumId: string, key: string): Promise<unknown> {
    this.resolveDatum(datumId, key);
    return LEAVE_UNFILLED;
  }

  /** Resolves the stream resource but reads nothing: always `{}`. */
  override async fillStreamDatum(
    streamDatum: StreamDatum,
  ): Promise<Record<string, ArrayLike<unknown>>> {
    if (this.closed)
      throw new EventModelRuntimeError("fillStreamDatum: this Filler has been closed");
    this.streams.resolve(streamDatum);
    return {};
  }
}
