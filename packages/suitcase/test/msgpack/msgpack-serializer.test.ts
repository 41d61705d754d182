import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { decodeMulti } from "@msgpack/msgpack";
import { FileFormatError, FileWriteError } from "../../src/errors.ts";
import { createMsgpackSerializer } from "../../src/msgpack/msgpack-serializer.ts";
import { readMsgpack } from "../../src/msgpack/read-msgpack.ts";
import { feed, scalarRun, tempDir } from "../fixtures.ts";
import { fillDiskAt } from "../full-disk.ts";

async function readAll(path: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const pair of readMsgpack(path)) out.push(pair);
  return out;
}

describe("msgpack serializer", () => {
  it("round-trips every document as [name, doc] messages", async (t) => {
    const docs = scalarRun({ events: 4, image: [2, 3] });
    const serializer = createMsgpackSerializer({ directory: tempDir(t) });
    feed(serializer, docs);
    const [file] = await serializer.close();
    assert.deepEqual(await readAll(file as string), docs);
  });

  it("writes standard msgpack a Python reader takes: fixarray pairs, str names, float64 and int", async (t) => {
    const docs = scalarRun({ events: 1 });
    const serializer = createMsgpackSerializer({ directory: tempDir(t) });
    feed(serializer, docs);
    const bytes = readFileSync((await serializer.close())[0] as string);
    assert.equal(bytes[0], 0x92, "each message is a 2-element array");
    assert.equal(bytes[1], 0xa5, "the name is a msgpack str (fixstr of 5: 'start')");
    assert.equal(bytes.subarray(2, 7).toString(), "start");
    const messages = [...decodeMulti(bytes)] as [string, Record<string, unknown>][];
    assert.equal(messages.length, docs.length);
    const event = messages.find(
      ([name, doc]) => name === "event" && "det" in (doc["data"] as object),
    );
    assert.ok(event);
    assert.deepEqual((event[1]["data"] as Record<string, unknown>)["spectrum"], [
      1,
      1.5,
      Number.NaN,
      -1,
    ]);
    // 1.75 must be a float64 (0xcb), 1000 an integer (0xcd uint16): numbers stay numbers.
    assert.ok(
      bytes.includes(Buffer.from([0xcb, 0x3f, 0xfc, 0, 0, 0, 0, 0, 0])),
      "det 1.75 as float64",
    );
    assert.ok(
      bytes.includes(Buffer.from([0xa5, ...Buffer.from("count"), 0xcd, 0x03, 0xe8])),
      "count 1000 as uint16",
    );
  });

  it("writes typed arrays as arrays of numbers, never as bytes", async (t) => {
    const docs = scalarRun({ events: 1 });
    const event = docs.find(
      ([name, doc]) => name === "event" && "det" in (doc["data"] as object),
    ) as [string, Record<string, unknown>];
    (event[1]["data"] as Record<string, unknown>)["spectrum"] = new Uint16Array([7, 8, 9, 10]);
    const serializer = createMsgpackSerializer({ directory: tempDir(t) });
    feed(serializer, docs);
    const back = (await readAll((await serializer.close())[0] as string)) as [
      string,
      Record<string, unknown>,
    ][];
    const found = back.find(([, d]) => d["uid"] === event[1]["uid"]);
    assert.ok(found);
    const spectrum = (found[1]["data"] as Record<string, unknown>)["spectrum"];
    assert.deepEqual(spectrum, [7, 8, 9, 10]);
  });

  it("reports a truncated or foreign file clearly", async (t) => {
    const dir = tempDir(t);
    const serializer = createMsgpackSerializer({ directory: dir });
    feed(serializer, scalarRun({ events: 2 }));
    const bytes = readFileSync((await serializer.close())[0] as string);
    const cut = join(dir, "cut.msgpack");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    await assert.rejects(
      readAll(cut),
      (err: Error) =>
        err instanceof FileFormatError &&
        /truncated/.test(err.message) &&
        /message 2/.test(err.message) === false,
    );
    const foreign = join(dir, "foreign.msgpack");
    writeFileSync(foreign, Buffer.from([0x2a]));
    await assert.rejects(readAll(foreign), /message 0 \(byte 0\) is not a \[name, document\] pair/);
    await assert.rejects(readAll(join(dir, "missing.msgpack")), /cannot read .*missing\.msgpack/);
  });

  it("leaves a readable file holding every document before a full disk", async (t) => {
    fillDiskAt(t, () => 2500);
    const docs = scalarRun({ events: 40 });
    const serializer = createMsgpackSerializer({ directory: tempDir(t) });
    let accepted = 0;
    assert.throws(() => {
      for (const [name, doc] of docs) {
        serializer(name, doc);
        accepted++;
      }
    }, FileWriteError);
    assert.ok(accepted > 2 && accepted < docs.length, `${accepted} documents fitted`);
    const [file] = serializer.files;
    assert.deepEqual(await readAll(file as string), docs.slice(0, accepted));
  });
});
