import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FileSink } from "../../src/core/file-sink.ts";
import { FileExistsError, FileWriteError } from "../../src/errors.ts";
import { tempDir } from "../fixtures.ts";
import { fillDiskAt } from "../full-disk.ts";

describe("file sinks", () => {
  it("hand every write to the operating system at flushSoon() by default", (t) => {
    const path = join(tempDir(t), "a", "b.txt");
    const sink = new FileSink(path);
    sink.write("one\n");
    sink.flushSoon();
    assert.equal(readFileSync(path, "utf8"), "one\n", "parent directories are created too");
    sink.write(new Uint8Array([0x32, 0x0a]));
    sink.close();
    sink.close();
    assert.equal(readFileSync(path, "utf8"), "one\n2\n");
  });

  it("with a buffer, write when it fills or when its delay runs out", (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const path = join(tempDir(t), "buffered.txt");
    const sink = new FileSink(path, { bufferBytes: 8, maxDelayMs: 500 });
    const reused = new Uint8Array([0x61, 0x0a]);
    sink.write(reused);
    reused[0] = 0x7a; // the caller reuses its array: the sink kept a copy
    sink.flushSoon();
    assert.equal(readFileSync(path, "utf8"), "");
    t.mock.timers.tick(500);
    assert.equal(readFileSync(path, "utf8"), "a\n");
    sink.write("123456789\n");
    sink.flushSoon();
    assert.equal(readFileSync(path, "utf8"), "a\n123456789\n");
    sink.close();
  });

  it("patch bytes in place and never overwrite an existing file", (t) => {
    const dir = tempDir(t);
    const sink = new FileSink(join(dir, "p.bin"));
    sink.write("abcdef");
    sink.patch(2, new Uint8Array([0x58]));
    sink.close();
    assert.equal(readFileSync(join(dir, "p.bin"), "utf8"), "abXdef");
    writeFileSync(join(dir, "taken"), "keep");
    assert.throws(() => new FileSink(join(dir, "taken")), FileExistsError);
    assert.equal(readFileSync(join(dir, "taken"), "utf8"), "keep");
  });
});

describe("file sinks on a full disk", () => {
  it("cut the file back to the last whole document and name the file and the cause", (t) => {
    let capacity = 12;
    fillDiskAt(t, () => capacity);
    const path = join(tempDir(t), "full.txt");
    const sink = new FileSink(path);
    sink.write("doc-1\n");
    sink.flushSoon();
    sink.write("doc-2-is-long\n");
    assert.throws(
      () => sink.flushSoon(),
      (err: unknown) =>
        err instanceof FileWriteError && err.path === path && /ENOSPC/.test(err.message),
    );
    assert.equal(readFileSync(path, "utf8"), "doc-1\n", "no half document is left");
    capacity = 100; // space freed: later documents follow the last whole one
    sink.write("doc-3\n");
    sink.close();
    assert.equal(readFileSync(path, "utf8"), "doc-1\ndoc-3\n");
  });

  it("with a buffer, keep every whole document that fitted", (t) => {
    fillDiskAt(t, () => 15);
    const path = join(tempDir(t), "buffered-full.txt");
    const sink = new FileSink(path, { bufferBytes: 1000 });
    for (const doc of ["one\n", "two\n", "three\n", "four\n"]) {
      sink.write(doc);
      sink.flushSoon();
    }
    assert.throws(() => sink.close(), FileWriteError);
    assert.equal(readFileSync(path, "utf8"), "one\ntwo\nthree\n");
    assert.ok(sink.closed, "the descriptor is released even so");
  });
});
