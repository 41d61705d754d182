import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { composeRun, type DataKey, UnfilledData } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { decode } from "tiff";
import { DataShapeError } from "../../src/errors.ts";
import type { TiffDtype } from "../../src/tiff/tiff-encoding.ts";
import { createTiffSerializer } from "../../src/tiff/tiff-serializer.ts";
import {
  camFrame,
  type Doc,
  detectorPixel,
  feed,
  filestoreRun,
  scalarRun,
  streamRun,
  tempDir,
  writeDetectorFile,
} from "../fixtures.ts";
import { tiffinfo, tiffPageBytes } from "../tools.ts";

/** A run of `frames` events of one image key with the given values. */
function imageRun(dataKey: Partial<DataKey>, values: unknown[]): Doc[] {
  const run = composeRun({ metadata: { scan_id: 7 } });
  const d = run.composeDescriptor({
    name: "primary",
    data_keys: { img: { dtype: "array", shape: [2, 3], source: "sim:img", ...dataKey } },
  });
  const docs: Doc[] = [
    ["start", run.startDoc],
    ["descriptor", d.descriptorDoc],
  ];
  for (const img of values)
    docs.push(["event", d.composeEvent({ data: { img }, timestamps: { img: 0 } })]);
  docs.push(["stop", run.composeStop()]);
  return docs;
}

function typedView(dtype: TiffDtype, bytes: Uint8Array): ArrayLike<number> {
  const buffer = bytes.slice().buffer;
  const views = {
    uint8: Uint8Array,
    int8: Int8Array,
    float64: Float64Array,
    uint16: Uint16Array,
    int16: Int16Array,
    uint32: Uint32Array,
    int32: Int32Array,
    float32: Float32Array,
  };
  const View = views[dtype as keyof typeof views];
  return new View(buffer);
}

function pages(path: string) {
  return decode(readFileSync(path));
}

const SAMPLES: Record<string, { values: number[][]; format: number; info: RegExp }> = {
  uint16: {
    values: [
      [0, 1, 2],
      [65535, 4, 5],
    ],
    format: 1,
    info: /Bits\/Sample: 16[\s\S]*unsigned integer/,
  },
  int16: {
    values: [
      [-32768, 1, 2],
      [32767, -4, 5],
    ],
    format: 2,
    info: /Bits\/Sample: 16[\s\S]*signed integer/,
  },
  uint32: {
    values: [
      [0, 1, 2],
      [4294967295, 4, 5],
    ],
    format: 1,
    info: /Bits\/Sample: 32[\s\S]*unsigned integer/,
  },
  int32: {
    values: [
      [-2147483648, 1, 2],
      [2147483647, -4, 5],
    ],
    format: 2,
    info: /Bits\/Sample: 32[\s\S]*signed integer/,
  },
  float32: {
    values: [
      [0.5, -1.25, 3e10],
      [Number.NaN, 4, -0.125],
    ],
    format: 3,
    info: /Bits\/Sample: 32[\s\S]*IEEE floating point/,
  },
  uint8: {
    values: [
      [0, 1, 2],
      [255, 4, 5],
    ],
    format: 1,
    info: /Bits\/Sample: 8[\s\S]*unsigned integer/,
  },
  int8: {
    values: [
      [-128, 1, 2],
      [127, -4, 5],
    ],
    format: 2,
    info: /Bits\/Sample: 8[\s\S]*signed integer/,
  },
  float64: {
    values: [
      [0.1, -1e300, 3],
      [Number.NaN, 4, 1 / 3],
    ],
    format: 3,
    info: /Bits\/Sample: 64[\s\S]*IEEE floating point/,
  },
};

describe("TIFF serializer", () => {
  it("stacks the frames of a field as pages a standard reader decodes to the same values", async (t) => {
    const docs = scalarRun({ events: 4, image: [3, 5] });
    const serializer = await createTiffSerializer({ directory: tempDir(t), template: "{scan_id}" });
    feed(serializer, docs);
    const files = await serializer.close();
    assert.deepEqual(
      files.map((f) => basename(f)),
      ["42-primary-cam.tiff"],
      "only 2-D and 3-D arrays are images",
    );
    const decoded = pages(files[0] as string);
    assert.equal(decoded.length, 4);
    decoded.forEach((page, i) => {
      assert.equal(page.width, 5);
      assert.equal(page.height, 3);
      assert.equal(page.bitsPerSample, 16, "dtype_numpy <u2 gives 16-bit pages");
      assert.deepEqual(Array.from(page.data), camFrame(i + 1, 3, 5).flat());
    });
    assert.equal(tiffinfo(files[0] as string).match(/TIFF Directory at offset/g)?.length, 4);
  });

  for (const [dtype, sample] of Object.entries(SAMPLES)) {
    it(`writes ${dtype} pages exactly`, async (t) => {
      const serializer = await createTiffSerializer({
        directory: tempDir(t),
        dtype: dtype as TiffDtype,
      });
      feed(serializer, imageRun({}, [sample.values]));
      const [file] = await serializer.close();
      assert.match(tiffinfo(file as string), sample.info);
      // libtiff's own reading of the pixel bytes, interpreted with the type tiffinfo reported.
      const [bytes] = tiffPageBytes(file as string);
      const expected = sample.values.flat().map((v) => (dtype === "float32" ? Math.fround(v) : v));
      assert.deepEqual(Array.from(typedView(dtype as TiffDtype, bytes as Uint8Array)), expected);
      if (dtype === "uint16" || dtype === "float32") {
        // The tiff package (image-js) decodes these types itself (not 32-bit or signed integers).
        const [page] = pages(file as string);
        assert.equal(page?.sampleFormat, sample.format);
        assert.deepEqual(Array.from(page?.data ?? []), expected);
      }
    });
  }

  it("takes the pixel type from dtype_numpy, else float32 for plain numbers", async (t) => {
    const cases: [Partial<DataKey>, unknown, number, number][] = [
      [
        { dtype_numpy: "<i4" },
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        32,
        2,
      ],
      [
        { dtype_numpy: "<f8" },
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        32,
        3,
      ],
      [
        {},
        [
          [1, 2, 3],
          [4, 5, 70000],
        ],
        32,
        3,
      ],
      [
        {},
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        32,
        3,
      ],
      [
        {},
        [
          [1.5, 2, 3],
          [4, 5, 6],
        ],
        32,
        3,
      ],
    ];
    for (const [dataKey, value, bits, format] of cases) {
      const serializer = await createTiffSerializer({ directory: tempDir(t) });
      feed(serializer, imageRun(dataKey, [value]));
      const info = tiffinfo((await serializer.close())[0] as string);
      const kind = ["", "unsigned integer", "signed integer", "IEEE floating point"][format];
      const expected = new RegExp(`Bits/Sample: ${bits}\\n\\s*Sample Format: ${kind}`);
      assert.match(info, expected, JSON.stringify(dataKey));
    }
  });

  it("keeps float frames that follow an all-zero first frame of an undeclared dtype", async (t) => {
    const serializer = await createTiffSerializer({ directory: tempDir(t) });
    const dark = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    const bright = [
      [0.5, 1.25, 2],
      [3, -4, 5.75],
    ];
    feed(serializer, imageRun({}, [dark, bright]));
    const [file] = await serializer.close();
    const decoded = pages(file as string);
    assert.deepEqual(
      decoded.map((p) => Array.from(p.data)),
      [dark.flat(), bright.flat()],
    );
    tiffinfo(file as string);
  });

  it("accepts typed arrays and ndarray-likes as frames", async (t) => {
    const flat = new Uint16Array([9, 8, 7, 6, 5, 4]);
    const ndarray = { data: new Uint16Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] };
    const serializer = await createTiffSerializer({ directory: tempDir(t) });
    feed(serializer, imageRun({ dtype_numpy: "<u2" }, [flat, ndarray]));
    const decoded = pages((await serializer.close())[0] as string);
    assert.deepEqual(
      decoded.map((p) => Array.from(p.data)),
      [
        [9, 8, 7, 6, 5, 4],
        [1, 2, 3, 4, 5, 6],
      ],
    );
  });

  it("writes one file per frame in series mode: 3-D values give a file per frame, 1-D and 4-D none", async (t) => {
    const run = composeRun({ metadata: { scan_id: 3 } });
    const d = run.composeDescriptor({
      name: "primary",
      data_keys: {
        flat: { dtype: "array", shape: [3, 3], source: "s" },
        cube: { dtype: "array", shape: [3, 3, 3], source: "s" },
        line: { dtype: "array", shape: [3], source: "s" },
        hyper: { dtype: "array", shape: [1, 1, 1, 1], source: "s" },
      },
    });
    const docs: Doc[] = [
      ["start", run.startDoc],
      ["descriptor", d.descriptorDoc],
    ];
    const square = (k: number) => Array.from({ length: 3 }, (_, r) => [k, r, 1]);
    for (let i = 0; i < 5; i++) {
      const data = {
        flat: square(i),
        cube: [square(i), square(i + 1), square(i + 2)],
        line: [1, 2, 3],
        hyper: [[[[1]]]],
      };
      docs.push([
        "event",
        d.composeEvent({ data, timestamps: { flat: 0, cube: 0, line: 0, hyper: 0 } }),
      ]);
    }
    docs.push(["stop", run.composeStop()]);
    assertValidStream(docs);
    const serializer = await createTiffSerializer({
      directory: tempDir(t),
      mode: "series",
      template: "{scan_id}",
    });
    feed(serializer, docs);
    const files = (await serializer.close()).map((f) => basename(f));
    assert.equal(files.filter((f) => f.startsWith("3-primary-flat-")).length, 5);
    assert.equal(files.filter((f) => f.startsWith("3-primary-cube-")).length, 15);
    assert.equal(files.length, 20);
    assert.ok(
      files.includes("3-primary-flat-00004.tiff") && files.includes("3-primary-cube-00014.tiff"),
    );
  });

  it("refuses a value the pixel type cannot hold, keeping every earlier page readable", async (t) => {
    const serializer = await createTiffSerializer({ directory: tempDir(t) });
    const docs = imageRun({ dtype_numpy: "<u2" }, [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [1, 2, 3],
        [4, 5, 70000],
      ],
    ]);
    feed(serializer, docs.slice(0, 3));
    assert.throws(
      () => serializer(...(docs[3] as Doc)),
      (err: Error) =>
        err instanceof DataShapeError && /70000/.test(err.message) && /uint16/.test(err.message),
    );
    const [file] = await serializer.close();
    assert.equal(pages(file as string).length, 1);
    tiffinfo(file as string);
  });

  it("continues a stack in a new file before it outgrows its size limit", async (t) => {
    const frames = Array.from({ length: 6 }, (_, i) => [
      [i, i, i],
      [i, i, i],
    ]);
    const serializer = await createTiffSerializer({
      directory: tempDir(t),
      template: "s",
      maxFileBytes: 4096 + 600,
    });
    feed(serializer, imageRun({ dtype_numpy: "<u2" }, frames));
    const files = await serializer.close();
    assert.ok(files.length > 1, `expected several parts, got ${files.length}`);
    assert.equal(basename(files[1] as string), "s-primary-img-part2.tiff");
    const all = files.flatMap((f) => pages(f).map((p) => p.data[0]));
    assert.deepEqual(all, [0, 1, 2, 3, 4, 5]);
  });

  it("reads frames announced by stream_datum from the detector's HDF5 file", async (t) => {
    const dir = tempDir(t);
    const detector = join(dir, "pilatus.h5");
    await writeDetectorFile(detector, 3, 4, 6);
    const docs = streamRun(detector, 3, 4, 6);
    assertValidStream(docs);
    const serializer = await createTiffSerializer({ directory: join(dir, "out"), template: "run" });
    feed(serializer, docs);
    const [file] = await serializer.close();
    assert.equal(basename(file as string), "run-primary-pilatus.tiff");
    const decoded = pages(file as string);
    assert.equal(decoded.length, 3);
    decoded.forEach((page, f) => {
      assert.equal(page.bitsPerSample, 16);
      assert.equal(page.data[4 * 6 - 1], detectorPixel(f, 3, 5, 4, 6));
      assert.equal(page.data[7], detectorPixel(f, 1, 1, 4, 6));
    });
  });

  it("reads a stream_datum that spans many frames", async (t) => {
    const dir = tempDir(t);
    const detector = join(dir, "eiger.h5");
    await writeDetectorFile(detector, 7, 3, 2);
    const docs = streamRun(detector, 7, 3, 2, 7);
    assert.equal(docs.filter(([n]) => n === "stream_datum").length, 1);
    const serializer = await createTiffSerializer({ directory: dir, template: "fly" });
    feed(serializer, docs);
    const decoded = pages((await serializer.close())[0] as string);
    assert.deepEqual(
      decoded.map((p) => p.data[5]),
      [0, 1, 2, 3, 4, 5, 6].map((f) => detectorPixel(f, 2, 1, 3, 2)),
    );
  });

  it("gives fields and streams whose names clash once made safe their own files", async (t) => {
    const run = composeRun({ metadata: { scan_id: 7 } });
    const image: DataKey = { dtype: "array", shape: [1, 2], source: "s" };
    // "det:a" and "det a" both become "det_a"; stream "a-b" + key "c" and stream "a" + key "b-c"
    // both give "7-a-b-c".
    const d1 = run.composeDescriptor({
      name: "primary",
      data_keys: { "det:a": image, "det a": image },
    });
    const d2 = run.composeDescriptor({ name: "a-b", data_keys: { c: image } });
    const d3 = run.composeDescriptor({ name: "a", data_keys: { "b-c": image } });
    const serializer = await createTiffSerializer({ directory: tempDir(t), template: "{scan_id}" });
    feed(serializer, [
      ["start", run.startDoc],
      ["descriptor", d1.descriptorDoc],
      ["descriptor", d2.descriptorDoc],
      ["descriptor", d3.descriptorDoc],
      [
        "event",
        d1.composeEvent({
          data: { "det:a": [[1, 2]], "det a": [[3, 4]] },
          timestamps: { "det:a": 0, "det a": 0 },
        }),
      ],
      ["event", d2.composeEvent({ data: { c: [[5, 6]] }, timestamps: { c: 0 } })],
      ["event", d3.composeEvent({ data: { "b-c": [[7, 8]] }, timestamps: { "b-c": 0 } })],
      ["stop", run.composeStop()],
    ]);
    const files = await serializer.close();
    assert.deepEqual(
      files.map((f) => basename(f)),
      ["7-primary-det_a.tiff", "7-primary-det_a-2.tiff", "7-a-b-c.tiff", "7-a-b-c-2.tiff"],
    );
    assert.deepEqual(
      files.map((f) => Array.from(pages(f)[0]?.data ?? [])),
      [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ],
    );
  });

  it("refuses images still referenced by datum ids", async (t) => {
    const dir = tempDir(t);
    const docs = filestoreRun(join(dir, "cam.h5"), 2, 2, 2);
    const serializer = await createTiffSerializer({ directory: dir });
    assert.throws(
      () => feed(serializer, docs),
      (err: Error) => err instanceof UnfilledData && /Filler/.test(err.message),
    );
    await serializer.close();
  });
});
