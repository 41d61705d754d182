// A separate writer process for the SQLite concurrency tests (not a test file itself).
// argv: <catalog path> <writer id> <runs> <events per run> <mode: batch | each> [hold]
// Prints "ack <run uid> <n>" after each acknowledged document (mode each) or run (mode batch).
// With "hold", it waits after its first run until a line arrives on stdin.
import { composeRun } from "@cerulean/event-model";
import { Catalog, SqliteStorage } from "../../../src/index.ts";

const [path, writer, runs, events, mode, hold] = process.argv.slice(2);
const catalog = new Catalog(new SqliteStorage({ path: path!, busyTimeoutMs: 60_000 }), {
  maxDelayMs: 1,
});
const key = { dtype: "number" as const, shape: [], source: "x" };

for (let r = 0; r < Number(runs); r++) {
  const run = composeRun({ metadata: { writer: Number(writer), run: r } });
  const primary = run.composeDescriptor({ name: "primary", data_keys: { x: key } });
  const docs: [string, unknown][] = [
    ["start", run.startDoc],
    ["descriptor", primary.descriptorDoc],
  ];
  for (let i = 0; i < Number(events); i++)
    docs.push(["event", primary.composeEvent({ data: { x: i }, timestamps: { x: i } })]);
  if (mode === "batch") docs.push(["stop", run.composeStop()]);
  let n = 0;
  if (mode === "each") {
    for (const [name, doc] of docs) {
      await catalog.write(name as "start", doc);
      process.stdout.write(`ack ${run.startDoc.uid} ${n++}\n`);
    }
  } else {
    await Promise.all(docs.map(([name, doc]) => catalog.write(name as "start", doc)));
    process.stdout.write(`ack ${run.startDoc.uid} ${docs.length}\n`);
  }
  if (hold === "hold" && r === 0) {
    await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
    process.stdin.destroy();
  }
}
await catalog.close();
