// Baseline TIFF 6.0 grayscale pages, uncompressed, in the machine's byte order. Sans-IO: these
// functions only produce bytes and offsets; tiff-file.ts puts them in a file.
import { endianness } from "node:os";
import type { NumericDtype } from "../core/dtype.ts";
import { dtypeInfo } from "../core/dtype.ts";
import { DataShapeError } from "../errors.ts";

/** The pixel types a TIFF page may hold here. */
export type TiffDtype =
  | "uint8"
  | "int8"
  | "uint16"
  | "int16"
  | "uint32"
  | "int32"
  | "float32"
  | "float64";

/** The TIFF pixel types, for checking options. */
export const TIFF_DTYPES: readonly TiffDtype[] = [
  "uint8",
  "int8",
  "uint16",
  "int16",
  "uint32",
  "int32",
  "float32",
  "float64",
];

/** Bytes before the first page: byte order mark, 42, offset of the first IFD. */
export const TIFF_HEADER_BYTES = 8;

/** Classic TIFF addresses its bytes with 32-bit offsets. */
export const TIFF_MAX_BYTES = 0xffff_ffff;

const LITTLE = endianness() === "LE";
const STRIP_TARGET_BYTES = 64 * 1024;
const SOFTWARE = "cerulean suitcase\0";

const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const ASCII = 2;

/** One page: its size and pixel type; `pixels` are `width * height` values, row after row. */
export interface TiffPage {
  width: number;
  height: number;
  dtype: TiffDtype;
  /** The raw pixel bytes in the machine's byte order (a typed array's bytes). */
  pixels: Uint8Array;
}

/** A page encoded for a given file position. */
export interface EncodedPage {
  /** Pixel bytes (possibly padded) then the IFD with its out-of-line values. */
  chunks: Uint8Array[];
  /** Total bytes of `chunks`. */
  byteLength: number;
  /** File offset of the page's IFD (what the previous "next IFD" pointer must hold). */
  ifdOffset: number;
  /** File offset of this IFD's own "next IFD" pointer, patched when a page follows. */
  nextPointerOffset: number;
}

/** The 8-byte TIFF header pointing at the first IFD. */
export function encodeHeader(firstIfdOffset: number): Uint8Array {
  const bytes = new Uint8Array(TIFF_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = bytes[1] = LITTLE ? 0x49 : 0x4d;
  view.setUint16(2, 42, LITTLE);
  view.setUint32(4, firstIfdOffset, LITTLE);
  return bytes;
}

/** A 4-byte offset in the file's byte order, for patching a "next IFD" pointer. */
export function encodeOffset(offset: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, offset, LITTLE);
  return bytes;
}

/** Encodes `page` so that its first byte lands at file offset `at` (which must be even). */
export function encodePage(page: TiffPage, at: number): EncodedPage {
  const { width, height, dtype, pixels } = page;
  const { bytes: sampleBytes, kind } = dtypeInfo(dtype as NumericDtype);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new DataShapeError(`a TIFF page needs a positive integer size, got ${width}x${height}`);
  }
  const rowBytes = width * sampleBytes;
  if (pixels.byteLength !== rowBytes * height) {
    throw new DataShapeError(
      `a ${width}x${height} ${dtype} TIFF page needs ${rowBytes * height} pixel bytes, got ${pixels.byteLength}`,
    );
  }
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_TARGET_BYTES / rowBytes)));
  const strips = Math.ceil(height / rowsPerStrip);
  const pad = pixels.byteLength % 2;
  const ifdOffset = at + pixels.byteLength + pad;

  const entries: [tag: number, type: number, values: number[] | string][] = [
    [254, LONG, [0]],
    [256, LONG, [width]],
    [257, LONG, [height]],
    [258, SHORT, [sampleBytes * 8]],
    [259, SHORT, [1]],
    [262, SHORT, [1]],
    [273, LONG, Array.from({ length: strips }, (_, s) => at + s * rowsPerStrip * rowBytes)],
    [277, SHORT, [1]],
    [278, LONG, [rowsPerStrip]],
    [
      279,
      LONG,
      Array.from(
        { length: strips },
        (_, s) => Math.min(rowsPerStrip, height - s * rowsPerStrip) * rowBytes,
      ),
    ],
    [282, RATIONAL, [1, 1]],
    [283, RATIONAL, [1, 1]],
    [284, SHORT, [1]],
    [296, SHORT, [1]],
    [305, ASCII, SOFTWARE],
    [339, SHORT, [kind === "u" ? 1 : kind === "i" ? 2 : 3]],
  ];
  const ifd = encodeIfd(entries, ifdOffset);
  if (ifdOffset + ifd.bytes.byteLength > TIFF_MAX_BYTES) {
    throw new DataShapeError(
      `a ${width}x${height} ${dtype} page at byte ${at} would end beyond the 4 GiB that classic TIFF can address`,
    );
  }
  const chunks = pad ? [pixels, new Uint8Array(1), ifd.bytes] : [pixels, ifd.bytes];
  return {
    chunks,
    byteLength: pixels.byteLength + pad + ifd.bytes.byteLength,
    ifdOffset,
    nextPointerOffset: ifdOffset + ifd.nextPointerAt,
  };
}

function encodeIfd(
  entries: [number, number, number[] | string][],
  ifdOffset: number,
): { bytes: Uint8Array; nextPointerAt: number } {
  const tableBytes = 2 + entries.length * 12 + 4;
  const sizes = entries.map(([, type, values]) => valueBytes(type, values));
  const extra = sizes.reduce((n, size) => n + (size > 4 ? size + (size % 2) : 0), 0);
  const bytes = new Uint8Array(tableBytes + extra);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, entries.length, LITTLE);
  let overflow = tableBytes;
  entries.forEach(([tag, type, values], i) => {
    const entry = 2 + i * 12;
    const size = sizes[i] ?? 0;
    view.setUint16(entry, tag, LITTLE);
    view.setUint16(entry + 2, type, LITTLE);
    view.setUint32(entry + 4, type === RATIONAL ? values.length / 2 : values.length, LITTLE);
    let at = entry + 8;
    if (size > 4) {
      view.setUint32(entry + 8, ifdOffset + overflow, LITTLE);
      at = overflow;
      overflow += size + (size % 2);
    }
    writeValues(view, at, type, values);
  });
  view.setUint32(tableBytes - 4, 0, LITTLE);
  return { bytes, nextPointerAt: tableBytes - 4 };
}

function valueBytes(type: number, values: number[] | string): number {
  if (type === ASCII) return values.length;
  return values.length * (type === SHORT ? 2 : 4);
}

function writeValues(view: DataView, at: number, type: number, values: number[] | string): void {
  if (typeof values === "string") {
    for (let i = 0; i < values.length; i++) view.setUint8(at + i, values.charCodeAt(i));
    return;
  }
  values.forEach((v, i) => {
    if (type === SHORT) view.setUint16(at + i * 2, v, LITTLE);
    else view.setUint32(at + i * 4, v, LITTLE);
  });
}
