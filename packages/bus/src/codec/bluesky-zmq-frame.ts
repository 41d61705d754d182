// bluesky.callbacks.zmq's wire format, one ZeroMQ frame per document:
//   prefix + b" " + name.encode() + b" " + serializer(doc)
// where the prefix (default b"") may not contain a space, and the serializer is whatever both
// sides agree on (bluesky defaults to pickle; we speak msgpack or JSON). RemoteDispatcher splits
// on the first two spaces, so the body may contain any bytes. Sans-IO: bytes in, bytes out.
import { BusConfigError, BusDecodeError } from "../errors.ts";
import { preview } from "./document-codec.ts";

const SPACE = 0x20;

/** One decoded frame: the publisher's prefix, the document name, and the serialized body. */
export interface BlueskyZmqFrame {
  prefix: Uint8Array;
  name: string;
  body: Uint8Array;
}

/** The prefix as bytes; throws BusConfigError when it contains a space, as bluesky does. */
export function prefixBytes(prefix: string | Uint8Array | undefined): Uint8Array {
  const bytes =
    typeof prefix === "string" ? Buffer.from(prefix, "utf8") : (prefix ?? new Uint8Array());
  if (bytes.includes(SPACE)) {
    throw new BusConfigError(
      `ZeroMQ prefix ${JSON.stringify(Buffer.from(bytes).toString("utf8"))} contains a space; bluesky's framing forbids it`,
    );
  }
  return bytes;
}

/** Builds the single frame bluesky's Publisher sends. */
export function encodeBlueskyFrame(prefix: Uint8Array, name: string, body: Uint8Array): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  const frame = Buffer.allocUnsafe(prefix.length + nameBytes.length + body.length + 2);
  frame.set(prefix, 0);
  frame[prefix.length] = SPACE;
  frame.set(nameBytes, prefix.length + 1);
  frame[prefix.length + 1 + nameBytes.length] = SPACE;
  frame.set(body, prefix.length + nameBytes.length + 2);
  return frame;
}

/** Splits a frame as bluesky's RemoteDispatcher does; throws BusDecodeError for a malformed one. */
export function decodeBlueskyFrame(frame: Uint8Array): BlueskyZmqFrame {
  const first = frame.indexOf(SPACE);
  const second = first < 0 ? -1 : frame.indexOf(SPACE, first + 1);
  if (second < 0) {
    throw new BusDecodeError(
      `a ZeroMQ message of ${frame.length} bytes that is not "prefix name body" (fewer than two spaces): ${preview(frame)}`,
    );
  }
  let name: string;
  try {
    name = new TextDecoder("utf-8", { fatal: true }).decode(frame.subarray(first + 1, second));
  } catch (error) {
    throw new BusDecodeError(
      `a ZeroMQ message whose document name is not UTF-8: ${preview(frame)}`,
      {
        cause: error,
      },
    );
  }
  return { prefix: frame.subarray(0, first), name, body: frame.subarray(second + 1) };
}
