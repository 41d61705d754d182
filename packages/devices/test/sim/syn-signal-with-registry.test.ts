import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertValidStream } from "@cerulean/event-model/testing";
import type { Asset } from "../../src/index.ts";
import { readHdf5Dataset, SynSignalWithRegistry } from "../../src/sim/index.ts";
import { assertDescribeMatchesRead } from "../../src/testing/index.ts";
import { stepRun } from "./run-documents.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cerulean-img-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe("SynSignalWithRegistry (img)", () => {
  it("reads a datum id per trigger and emits the Resource then one Datum per frame", async () => {
    const img = new SynSignalWithRegistry("img", { dataDir });
    await img.stage();
    await img.trigger();
    const reading = (await img.read())["img"];
    const docs: Asset[] = [...img.collectAssetDocs()];
    deepStrictEqual(
      docs.map(([n]) => n),
      ["resource", "datum"],
    );
    const resource = docs[0]?.[1] as {
      uid: string;
      spec: string;
      root: string;
      resource_path: string;
    };
    equal(resource.spec, "AD_HDF5");
    const datum = docs[1]?.[1] as { datum_id: string; datum_kwargs: unknown };
    equal(reading?.value, datum.datum_id);
    equal(datum.datum_id, `${resource.uid}/0`);
    deepStrictEqual(datum.datum_kwargs, { point_number: 0 });
    equal((await img.describe())["img"]?.external, "FILESTORE:");
    await assertDescribeMatchesRead(img);
    await img.trigger();
    deepStrictEqual(
      [...img.collectAssetDocs()].map(([n]) => n),
      ["datum"],
    );
    await img.unstage();
    const { shape, data } = await readHdf5Dataset(
      join(resource.root, resource.resource_path),
      "/entry/data/data",
    );
    deepStrictEqual(shape, [2, 10, 10]);
    ok(data.every((v) => v === 1));
  });

  it("a step run over it makes documents the reference schemas accept", async () => {
    const img = new SynSignalWithRegistry("img", { dataDir, shape: [3, 4] });
    await img.stage();
    const docs = await stepRun([img], 2);
    await img.unstage();
    assertValidStream(docs);
    deepStrictEqual(
      docs.map(([n]) => n),
      ["start", "descriptor", "resource", "datum", "event", "datum", "event", "stop"],
    );
    const event = docs[4]?.[1] as { filled: unknown };
    deepStrictEqual(event.filled, { img: false });
  });
});
