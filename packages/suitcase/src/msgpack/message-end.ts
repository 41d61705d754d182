import { FileFormatError } from "../errors.ts";

/** Where a scan of one msgpack value stands: the next byte to read and the values still owed. */
export interface MessageScan {
  pos: number;
  pending: number;
}

/** A scan of the value that starts at byte `start`. */
export function startScan(start: number): MessageScan {
  return { pos: start, pending: 1 };
}

/**
 * Advances `scan` over every whole header and payload of `bytes`, and says whether the value is
 * complete (it then ends at `scan.pos`). Resumable: call again once `bytes` has grown (same
 * leading bytes), so a reader scans each byte of a large message once, not once per chunk.
 */
export function continueScan(bytes: Uint8Array, scan: MessageScan): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let { pos, pending } = scan;
  while (pending > 0 && pos < bytes.length) {
    const [header, lengthBytes, perItem, fixed] = shape(bytes[pos] as number, pos);
    if (pos + header > bytes.length) break;
    let count = fixed;
    if (lengthBytes === 1) count = view.getUint8(pos + 1);
    else if (lengthBytes === 2) count = view.getUint16(pos + 1);
    else if (lengthBytes === 4) count = view.getUint32(pos + 1);
    if (perItem === 0) {
      if (pos + header + count > bytes.length) break;
      pos += header + count;
    } else {
      pos += header;
      pending += count * perItem;
    }
    pending--;
  }
  scan.pos = pos;
  scan.pending = pending;
  return pending === 0;
}

/**
 * Where the msgpack value starting at `start` ends, or undefined if `bytes` stops before its
 * end. Sans-IO: this only reads type headers and lengths, so a reader can cut a byte stream into
 * whole messages and tell a truncated file from a complete one.
 */
export function messageEnd(bytes: Uint8Array, start: number): number | undefined {
  const scan = startScan(start);
  return continueScan(bytes, scan) ? scan.pos : undefined;
}

/**
 * For a type byte: header bytes, how many of them give the length, children per counted item
 * (0: the count is payload bytes; 1: array items; 2: map keys and values), and a fixed count.
 */
function shape(type: number, pos: number): [number, number, number, number] {
  if (type <= 0x7f || type >= 0xe0) return [1, 0, 0, 0];
  if (type <= 0x8f) return [1, 0, 2, type & 0x0f];
  if (type <= 0x9f) return [1, 0, 1, type & 0x0f];
  if (type <= 0xbf) return [1, 0, 0, type & 0x1f];
  switch (type) {
    case 0xc0:
    case 0xc2:
    case 0xc3:
      return [1, 0, 0, 0];
    case 0xc4:
    case 0xd9:
      return [2, 1, 0, 0];
    case 0xc5:
    case 0xda:
      return [3, 2, 0, 0];
    case 0xc6:
    case 0xdb:
      return [5, 4, 0, 0];
    case 0xc7:
      return [3, 1, 0, 0];
    case 0xc8:
      return [4, 2, 0, 0];
    case 0xc9:
      return [6, 4, 0, 0];
    case 0xca:
    case 0xce:
    case 0xd2:
      return [5, 0, 0, 0];
    case 0xcb:
    case 0xcf:
    case 0xd3:
      return [9, 0, 0, 0];
    case 0xcc:
    case 0xd0:
      return [2, 0, 0, 0];
    case 0xcd:
    case 0xd1:
      return [3, 0, 0, 0];
    case 0xd4:
      return [3, 0, 0, 0];
    case 0xd5:
      return [4, 0, 0, 0];
    case 0xd6:
      return [6, 0, 0, 0];
    case 0xd7:
      return [10, 0, 0, 0];
    case 0xd8:
      return [18, 0, 0, 0];
    case 0xdc:
      return [3, 2, 1, 0];
    case 0xdd:
      return [5, 4, 1, 0];
    case 0xde:
      return [3, 2, 2, 0];
    case 0xdf:
      return [5, 4, 2, 0];
    default:
      throw new FileFormatError(
        `byte ${pos} holds 0x${type.toString(16)}, which no msgpack value starts with`,
      );
  }
}
