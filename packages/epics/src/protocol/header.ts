// The CA message header and the framing of a byte stream into messages (sans-IO).

/** Bytes of the standard header; the extended form adds two 32-bit words. */
export const HEADER_SIZE = 16;
export const EXTENDED_HEADER_SIZE = 24;
/** Payloads are zero-padded to a multiple of this. */
export const ALIGNMENT = 8;
/** The 16-bit payload size that announces an extended header. */
const EXTENDED_MARKER = 0xffff;

/** One message as framed on the wire: the header fields and the (padded) payload. */
export interface RawMessage {
  command: number;
  dataType: number;
  count: number;
  parameter1: number;
  parameter2: number;
  payload: Uint8Array;
}

/** A message whose payload exceeded the reader's limit: its payload was skipped, not kept. */
export interface OversizedMessage {
  command: number;
  dataType: number;
  count: number;
  parameter1: number;
  parameter2: number;
  payloadSize: number;
  oversized: true;
}

export type FramedMessage = RawMessage | OversizedMessage;

/** Rounds `n` up to the CA payload alignment. */
export function padded(n: number): number {
  return (n + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
}

/**
 * Encodes one message. The payload is copied and zero-padded; the extended header is used
 * only when the size or the count does not fit 16 bits, as the protocol asks.
 */
export function encodeMessage(
  fields: Omit<RawMessage, "payload">,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const size = padded(payload.length);
  const extended = size >= EXTENDED_MARKER || fields.count > 0xffff;
  const headerSize = extended ? EXTENDED_HEADER_SIZE : HEADER_SIZE;
  const out = new Uint8Array(headerSize + size);
  const view = new DataView(out.buffer);
  view.setUint16(0, fields.command);
  view.setUint16(2, extended ? EXTENDED_MARKER : size);
  view.setUint16(4, fields.dataType);
  view.setUint16(6, extended ? 0 : fields.count);
  view.setUint32(8, fields.parameter1 >>> 0);
  view.setUint32(12, fields.parameter2 >>> 0);
  if (extended) {
    view.setUint32(16, size);
    view.setUint32(20, fields.count);
  }
  out.set(payload, headerSize);
  return out;
}

interface ParsedHeader {
  command: number;
  dataType: number;
  count: number;
  parameter1: number;
  parameter2: number;
  payloadSize: number;
  headerSize: number;
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

function u32(b: Uint8Array, at: number): number {
  return (
    (((b[at] ?? 0) << 24) |
      ((b[at + 1] ?? 0) << 16) |
      ((b[at + 2] ?? 0) << 8) |
      (b[at + 3] ?? 0)) >>>
    0
  );
}

/** Parses a header at `offset`, or returns undefined when not enough bytes are there yet. */
function parseHeader(bytes: Uint8Array, offset: number): ParsedHeader | undefined {
  const available = bytes.length - offset;
  if (available < HEADER_SIZE) return undefined;
  const size16 = u16(bytes, offset + 2);
  const extended = size16 === EXTENDED_MARKER;
  if (extended && available < EXTENDED_HEADER_SIZE) return undefined;
  return {
    command: u16(bytes, offset),
    dataType: u16(bytes, offset + 4),
    count: extended ? u32(bytes, offset + 20) : u16(bytes, offset + 6),
    parameter1: u32(bytes, offset + 8),
    parameter2: u32(bytes, offset + 12),
    payloadSize: extended ? u32(bytes, offset + 16) : size16,
    headerSize: extended ? EXTENDED_HEADER_SIZE : HEADER_SIZE,
  };
}

function message(h: ParsedHeader, payload: Uint8Array): RawMessage {
  return {
    command: h.command,
    dataType: h.dataType,
    count: h.count,
    parameter1: h.parameter1,
    parameter2: h.parameter2,
    payload,
  };
}

function oversized(h: ParsedHeader): OversizedMessage {
  return {
    command: h.command,
    dataType: h.dataType,
    count: h.count,
    parameter1: h.parameter1,
    parameter2: h.parameter2,
    payloadSize: h.payloadSize,
    oversized: true,
  };
}

/**
 * Splits a TCP byte stream into messages. Chunks may cut messages anywhere; a payload over
 * `maxPayload` bytes is skipped as it arrives (never buffered) and reported as oversized,
 * so a peer announcing a huge array cannot exhaust memory.
 */
export class MessageReader {
  readonly maxPayload: number;
  #head: Uint8Array = new Uint8Array(0);
  #partial: { header: ParsedHeader; payload: Uint8Array; filled: number } | undefined;
  #skip = 0;

  constructor(maxPayload: number) {
    this.maxPayload = maxPayload;
  }

  /** Feeds a chunk and returns the messages it completes, in order. */
  push(chunk: Uint8Array): FramedMessage[] {
    const out: FramedMessage[] = [];
    let data = chunk;
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, data.length);
      this.#skip -= n;
      data = data.subarray(n);
    }
    if (this.#partial) {
      const p = this.#partial;
      const n = Math.min(p.payload.length - p.filled, data.length);
      p.payload.set(data.subarray(0, n), p.filled);
      p.filled += n;
      data = data.subarray(n);
      if (p.filled < p.payload.length) return out;
      out.push(message(p.header, p.payload));
      this.#partial = undefined;
    }
    if (this.#head.length > 0) {
      const joined = new Uint8Array(this.#head.length + data.length);
      joined.set(this.#head);
      joined.set(data, this.#head.length);
      data = joined;
      this.#head = new Uint8Array(0);
    }
    let offset = 0;
    while (offset < data.length) {
      const header = parseHeader(data, offset);
      if (!header) break;
      const start = offset + header.headerSize;
      if (header.payloadSize > this.maxPayload) {
        out.push(oversized(header));
        const available = data.length - start;
        if (available < header.payloadSize) {
          this.#skip = header.payloadSize - available;
          return out;
        }
        offset = start + header.payloadSize;
        continue;
      }
      const end = start + header.payloadSize;
      if (end > data.length) {
        const payload = new Uint8Array(header.payloadSize);
        payload.set(data.subarray(start));
        this.#partial = { header, payload, filled: data.length - start };
        return out;
      }
      out.push(message(header, data.subarray(start, end)));
      offset = end;
    }
    if (offset < data.length) this.#head = data.slice(offset);
    return out;
  }

  /** Bytes held back waiting for the rest of a message. */
  get buffered(): number {
    return this.#head.length + (this.#partial?.filled ?? 0);
  }
}

/**
 * Splits one UDP datagram into messages. A truncated or inconsistent tail ends the parse;
 * `truncated` says so, and the messages before it are still returned.
 */
export function splitDatagram(bytes: Uint8Array): { messages: RawMessage[]; truncated: boolean } {
  const messages: RawMessage[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const header = parseHeader(bytes, offset);
    if (!header) return { messages, truncated: true };
    const start = offset + header.headerSize;
    const end = start + header.payloadSize;
    if (end > bytes.length) return { messages, truncated: true };
    messages.push(message(header, bytes.subarray(start, end)));
    offset = end;
  }
  return { messages, truncated: false };
}
