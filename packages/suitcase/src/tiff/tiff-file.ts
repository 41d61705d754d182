import { FileSink, type FileSinkOptions } from "../core/file-sink.ts";
import {
  encodeHeader,
  encodeOffset,
  encodePage,
  TIFF_HEADER_BYTES,
  TIFF_MAX_BYTES,
  type TiffPage,
} from "./tiff-encoding.ts";

/**
 * A multi-page TIFF file that is valid after every page: a page's pixels and IFD are appended
 * first, and only then does the previous page's "next IFD" pointer (or the header) point at it,
 * so a crash at any moment leaves the pages written so far readable.
 */
export class TiffFile {
  readonly path: string;
  private readonly sink: FileSink;
  private nextPointerOffset = -1;
  private pageCount = 0;

  constructor(path: string, options: FileSinkOptions = {}) {
    this.path = path;
    this.sink = new FileSink(path, options);
  }

  /** Pages written so far. */
  get pages(): number {
    return this.pageCount;
  }

  /** True if a page of `pixelBytes` keeps the file within `limit` bytes (classic TIFF: 4 GiB). */
  fits(pixelBytes: number, limit = TIFF_MAX_BYTES): boolean {
    const start = this.pageCount === 0 ? TIFF_HEADER_BYTES : this.sink.size;
    // The IFD and its values take a few hundred bytes, more with many strips.
    return start + pixelBytes + 4096 + pixelBytes / 1024 <= Math.min(limit, TIFF_MAX_BYTES);
  }

  /** Appends one page and links it into the file. */
  addPage(page: TiffPage): void {
    const first = this.pageCount === 0;
    const at = first ? TIFF_HEADER_BYTES : this.sink.size;
    const encoded = encodePage(page, at);
    if (first) this.sink.write(encodeHeader(encoded.ifdOffset));
    for (const chunk of encoded.chunks) this.sink.write(chunk);
    this.sink.flush();
    if (!first) this.sink.patch(this.nextPointerOffset, encodeOffset(encoded.ifdOffset));
    this.nextPointerOffset = encoded.nextPointerOffset;
    this.pageCount++;
  }

  close(): void {
    this.sink.close();
  }
}
