// A disk that fills up: fs writes beyond `capacity` bytes of a file fail as ENOSPC does, after a
// short write, the way a real full file system answers. Only the fs calls are replaced.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import type { TestContext } from "node:test";

function enospc(): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error("ENOSPC: no space left on device, write");
  err.code = "ENOSPC";
  err.errno = -28;
  err.syscall = "write";
  return err;
}

/** Until `t` ends, every file written with fs.writeSync/writevSync holds at most `capacity()` bytes. */
export function fillDiskAt(t: TestContext, capacity: () => number): void {
  const writeSync = fs.writeSync;
  // Without a position the write lands at the descriptor's position: the end, for these files.
  const room = (fd: number, position: number | null | undefined, wanted: number): number => {
    const at = typeof position === "number" ? position : fs.fstatSync(fd).size;
    const free = capacity() - at;
    if (free <= 0) throw enospc();
    return Math.min(free, wanted);
  };
  t.mock.method(fs, "writeSync", (fd: number, buffer: Uint8Array | string, ...rest: unknown[]) => {
    const bytes = typeof buffer === "string" ? Buffer.from(buffer) : buffer;
    const offset = typeof rest[0] === "number" ? rest[0] : 0;
    const length = typeof rest[1] === "number" ? rest[1] : bytes.byteLength - offset;
    const position = typeof rest[2] === "number" ? rest[2] : null;
    return writeSync(fd, bytes, offset, room(fd, position, length), position);
  });
  t.mock.method(fs, "writevSync", (fd: number, buffers: Uint8Array[], position?: number | null) => {
    const joined = Buffer.concat(buffers);
    const allowed = room(fd, position, joined.byteLength);
    return writeSync(fd, joined, 0, allowed, position ?? null);
  });
  syncBuiltinESMExports();
  t.after(() => {
    t.mock.restoreAll();
    syncBuiltinESMExports();
  });
}
