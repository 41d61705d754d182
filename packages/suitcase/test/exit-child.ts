// Run by exit.test.ts in its own process: writes part of a run with every serializer, never
// calls close(), then dies of an uncaught exception ("throw", the default), or prints "ready"
// and waits to be killed ("wait"), or waits with its own SIGINT handler ("handle-sigint").
import { createCsvSerializer } from "../src/csv/csv-serializer.ts";
import { createHdf5Serializer } from "../src/hdf5/hdf5-serializer.ts";
import { createJsonlSerializer } from "../src/jsonl/jsonl-serializer.ts";
import { createMsgpackSerializer } from "../src/msgpack/msgpack-serializer.ts";
import { contractRun } from "../src/testing/index.ts";
import { createTiffSerializer } from "../src/tiff/tiff-serializer.ts";

const directory = process.argv[2] as string;
const mode = process.argv[3] ?? "throw";
const serializers = [
  createJsonlSerializer({ directory, bufferBytes: 1 << 20 }),
  createMsgpackSerializer({ directory, bufferBytes: 1 << 20 }),
  createCsvSerializer({ directory, bufferBytes: 1 << 20 }),
  await createTiffSerializer({ directory }),
  await createHdf5Serializer({ directory, batchRows: 1000, maxDelayMs: 600_000 }),
];
for (const [name, doc] of contractRun(4, "none"))
  for (const serializer of serializers) serializer(name, doc);
if (mode === "throw") throw new Error("the plan crashed");
if (mode === "handle-sigint") {
  process.on("SIGINT", () => {
    // The application decides: here it reports whether the files are still open, then ends.
    process.stdout.write(`closed after SIGINT: ${serializers.some((s) => s.closed)}\n`);
    process.exit(3);
  });
}
setInterval(() => {}, 1000);
process.stdout.write("ready\n");
