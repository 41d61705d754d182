import { readFileSync } from "node:fs";
import type { DocumentCallback } from "@cerulean/event-model";
import h5wasm from "h5wasm/node";
import { decode } from "tiff";
import type { Serializer } from "../src/core/run-serializer.ts";
import { parseCsv } from "../src/csv/csv-cells.ts";
import { createCsvSerializer } from "../src/csv/csv-serializer.ts";
import { createHdf5Serializer } from "../src/hdf5/hdf5-serializer.ts";
import { createJsonlSerializer } from "../src/jsonl/jsonl-serializer.ts";
import { readJsonl } from "../src/jsonl/read-jsonl.ts";
import { createMsgpackSerializer } from "../src/msgpack/msgpack-serializer.ts";
import { readMsgpack } from "../src/msgpack/read-msgpack.ts";
import { CONTRACT_PIXEL_PER_SEQ, serializerContract } from "../src/testing/index.ts";
import { createTiffSerializer } from "../src/tiff/tiff-serializer.ts";

// A serializer subscribes wherever a document callback is expected (compile-time check).
export const asDocumentCallback = (serializer: Serializer): DocumentCallback => serializer;

async function primarySeqNums(docs: AsyncIterable<readonly [string, unknown]>): Promise<number[]> {
  const seqs: number[] = [];
  let primary = "";
  for await (const [name, doc] of docs) {
    const d = doc as { name?: string; uid: string; descriptor?: string; seq_num?: number };
    if (name === "descriptor" && d.name === "primary") primary = d.uid;
    if (name === "event" && d.descriptor === primary) seqs.push(d.seq_num as number);
  }
  return seqs;
}

function only(files: readonly string[], suffix: string): string {
  const matches = files.filter((f) => f.endsWith(suffix));
  if (matches.length !== 1)
    throw new Error(`expected one file ending in ${suffix}, got ${JSON.stringify(files)}`);
  return matches[0] as string;
}

serializerContract({
  format: "JSON lines",
  create: (options) => createJsonlSerializer(options),
  readBack: (files) => primarySeqNums(readJsonl(only(files, ".jsonl"))),
});

serializerContract({
  format: "msgpack",
  create: (options) => createMsgpackSerializer(options),
  readBack: (files) => primarySeqNums(readMsgpack(only(files, ".msgpack"))),
});

serializerContract({
  format: "CSV",
  create: (options) => createCsvSerializer(options),
  readBack: async (files) => {
    const [header, ...rows] = parseCsv(readFileSync(only(files, "-primary.csv"), "utf8"));
    const column = header?.indexOf("seq_num") ?? -1;
    return rows.map((row) => Number(row[column]));
  },
});

for (const mode of ["stack", "series"] as const) {
  serializerContract({
    format: `TIFF ${mode}`,
    create: (options) => createTiffSerializer({ ...options, mode }),
    readBack: async (files) =>
      files
        .filter((f) => f.includes("-primary-cam"))
        .flatMap((f) => decode(readFileSync(f)))
        .map((page) => (page.data[0] as number) / CONTRACT_PIXEL_PER_SEQ),
  });
}

serializerContract({
  format: "HDF5",
  create: (options) => createHdf5Serializer({ ...options, batchRows: 1 }),
  readBack: async (files) => {
    await h5wasm.ready;
    const file = new h5wasm.File(only(files, ".h5"), "r");
    try {
      const seq = file.get("entry/bluesky/streams/primary/seq_num") as InstanceType<
        typeof h5wasm.Dataset
      >;
      return Array.from(seq.value as BigInt64Array, Number);
    } finally {
      file.close();
    }
  },
});
