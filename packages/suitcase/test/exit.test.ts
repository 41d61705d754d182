import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { decode } from "tiff";
import { parseCsv } from "../src/csv/csv-cells.ts";
import { readJsonl } from "../src/jsonl/read-jsonl.ts";
import { readMsgpack } from "../src/msgpack/read-msgpack.ts";
import { tempDir } from "./fixtures.ts";
import { h5dump } from "./tools.ts";

async function count(docs: AsyncIterable<readonly [string, unknown]>): Promise<number> {
  let n = 0;
  for await (const [name] of docs) if (name === "event") n++;
  return n;
}

describe("a process that dies mid-run", () => {
  it("still leaves complete files with everything it was given, even from buffered writers", async (t) => {
    const dir = tempDir(t);
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "exit-child.ts"), dir],
      // spawnSync blocks the event loop, so the test runner's own timeout could not end a hung
      // child: it gets a deadline of its own.
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(child.signal, null, `the child was killed (${child.signal}): it hung`);
    assert.notEqual(child.status, 0);
    assert.match(child.stderr, /the plan crashed/);
    const file = (suffix: string) =>
      join(dir, readdirSync(dir).find((f) => f.endsWith(suffix)) as string);
    assert.equal(
      await count(readJsonl(file(".jsonl"))),
      5,
      "4 primary events and 1 baseline event",
    );
    assert.equal(await count(readMsgpack(file(".msgpack"))), 5);
    assert.equal(
      parseCsv(readFileSync(file("-primary.csv"), "utf8")).length,
      5,
      "header and 4 rows",
    );
    assert.equal(decode(readFileSync(file("-primary-cam.tiff"))).length, 4);
    assert.match(
      h5dump("-d", "/entry/bluesky/streams/primary/seq_num", file(".h5")),
      /\(0\): 1, 2, 3, 4\s/,
    );
  });
});
