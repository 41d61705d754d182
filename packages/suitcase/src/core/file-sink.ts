import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeSync,
  writevSync,
} from "node:fs";
import { dirname } from "node:path";
import { FileExistsError, FileWriteError, SuitcaseError } from "../errors.ts";

/** How a sink hands its bytes to the operating system. */
export interface FileSinkOptions {
  /**
   * Bytes kept in memory before writing; 0 (the default) writes at every `flushSoon()`, so each
   * document is in the operating system when its callback returns.
   */
  bufferBytes?: number;
  /** With a buffer, the longest time (ms) bytes wait before being written (default 1000). */
  maxDelayMs?: number;
}

/**
 * A file written synchronously and append-only (plus in-place patches), created exclusively so
 * that nothing is ever overwritten. Synchronous writes keep memory bounded by design: a producer
 * faster than the disk waits instead of queueing.
 */
export class FileSink {
  readonly path: string;
  private fd: number | null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** File sizes (from `size`) at which a whole document ends, for the bytes still pending. */
  private pendingEnds: number[] = [];
  private offset = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly bufferBytes: number;
  private readonly maxDelayMs: number;

  /** Creates `path` (and its parent directories); FileExistsError if it exists. */
  constructor(path: string, options: FileSinkOptions = {}) {
    this.path = path;
    this.bufferBytes = options.bufferBytes ?? 0;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.fd = openSync(path, "wx");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST")
        throw new FileExistsError(path, { cause: err });
      throw new SuitcaseError(`cannot create ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The file size once everything given so far is written. */
  get size(): number {
    return this.offset + this.pendingBytes;
  }

  get closed(): boolean {
    return this.fd === null;
  }

  /** Appends bytes (strings as UTF-8); they reach the file at the next flush. */
  write(data: string | Uint8Array): void {
    this.openFd();
    // A buffered view is copied: the caller may reuse its array before the bytes are written.
    const buffer =
      typeof data === "string"
        ? Buffer.from(data, "utf8")
        : this.bufferBytes > 0
          ? Buffer.from(data)
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.pending.push(buffer);
    this.pendingBytes += buffer.byteLength;
  }

  /** Called after each document: writes now, or when the buffer is full or has waited long enough. */
  flushSoon(): void {
    if (this.pendingBytes === 0) return;
    this.pendingEnds.push(this.size);
    if (this.pendingBytes >= this.bufferBytes) {
      this.flush();
      return;
    }
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.fd !== null) this.flush();
      }, this.maxDelayMs);
      this.timer.unref();
    }
  }

  /**
   * Writes every pending byte to the operating system. Called between documents only: on a write
   * error (disk full...) the file is cut back to the end of the last whole document, so it stays
   * readable, and a FileWriteError is thrown; the unwritten documents are not in the file.
   */
  flush(): void {
    const fd = this.openFd();
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    let chunks = this.pending;
    const start = this.offset;
    const ends = this.pendingEnds;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingEnds = [];
    try {
      while (chunks.length > 0) {
        const total = chunks.reduce((n, c) => n + c.byteLength, 0);
        // Positioned writes: after a cut-back the descriptor's own position would leave a hole.
        const written =
          chunks.length === 1
            ? writeSync(fd, chunks[0] as Buffer, 0, total, this.offset)
            : writevSync(fd, chunks, this.offset);
        this.offset += written;
        if (written === total) break;
        chunks = remainder(chunks, written);
      }
    } catch (err) {
      const whole = ends.filter((end) => end <= this.offset);
      const keep = whole.length > 0 ? Math.max(start, ...whole) : start;
      let truncated = "";
      try {
        ftruncateSync(fd, keep);
        this.offset = keep;
      } catch (again) {
        truncated = ` (and cutting it back to ${keep} bytes failed: ${(again as Error).message})`;
      }
      throw new FileWriteError(this.path, err, `${this.offset} bytes kept${truncated}`);
    }
  }

  /** Overwrites bytes already in the file (after flushing), e.g. a TIFF next-page pointer. */
  patch(position: number, data: Uint8Array): void {
    this.flush();
    const fd = this.openFd();
    let done = 0;
    try {
      while (done < data.byteLength)
        done += writeSync(fd, data, done, data.byteLength - done, position + done);
    } catch (err) {
      throw new FileWriteError(this.path, err, `patching byte ${position} failed`);
    }
  }

  /** Flushes and asks the operating system to put the bytes on disk. */
  sync(): void {
    this.flush();
    try {
      fsyncSync(this.openFd());
    } catch (err) {
      throw new FileWriteError(this.path, err, "the operating system could not store it");
    }
  }

  /** Flushes, syncs and closes; idempotent. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.sync();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private openFd(): number {
    if (this.fd === null) throw new SuitcaseError(`${this.path} is already closed`);
    return this.fd;
  }
}

function remainder(chunks: Buffer[], written: number): Buffer[] {
  let skip = written;
  const rest: Buffer[] = [];
  for (const chunk of chunks) {
    if (skip >= chunk.byteLength) {
      skip -= chunk.byteLength;
      continue;
    }
    rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
    skip = 0;
  }
  return rest;
}
