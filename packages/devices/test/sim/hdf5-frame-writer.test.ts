import { deepStrictEqual, ok } from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Hdf5FrameWriter, readHdf5Dataset } from "../../src/sim/index.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-h5-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("Hdf5FrameWriter", () => {
  it("appends frames to a resizable chunked dataset that h5dump reads independently", async () => {
    const path = join(dir, "nested", "frames.h5");
    const writer = await Hdf5FrameWriter.create(path, {
      frameShape: [2, 3],
      dataset: "/entry/data/data",
    });
    writer.append(Float64Array.from([1, 2, 3, 4, 5, 6]));
    writer.append(Float64Array.from([7, 8, 9, 10, 11, 12.5]));
    writer.close();
    const header = execFileSync("h5dump", ["-H", "-p", path], { encoding: "utf8" });
    ok(header.includes("DATASPACE  SIMPLE { ( 2, 2, 3 ) / ( H5S_UNLIMITED, 2, 3 ) }"), header);
    ok(header.includes("H5T_IEEE_F64LE"), header);
    ok(header.includes("CHUNKED ( 1, 2, 3 )"), header);
    const dump = execFileSync("h5dump", ["-d", "/entry/data/data", "-y", "-w", "0", path], {
      encoding: "utf8",
    });
    const numbers = (dump.split("DATA {")[1] ?? "").match(/-?\d+(\.\d+)?/g)?.map(Number);
    deepStrictEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5]);
    const back = await readHdf5Dataset(path, "/entry/data/data");
    deepStrictEqual(back.shape, [2, 2, 3]);
    deepStrictEqual([...back.data], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5]);
  });
});
