// The run catalog on SQLite and on PostgreSQL: ingest rate (events/s, batched), search latency
// over 100,000 runs (p50/p99), and reading a 1,000,000-row stream as columns.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Catalog,
  type CatalogStorage,
  comparison,
  eq,
  fullText,
  PostgresServerError,
  PostgresStorage,
  type Query,
  SqliteStorage,
  startPostgresServer,
  timeRange,
} from "@cerulean/broker";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { quick, rate, report } from "./harness.ts";

// Quick mode is a smoke run (CI, two minutes for every file on a loaded 2-core machine).
const INGEST_EVENTS = quick ? 10_000 : 200_000;
const SEARCH_RUNS = quick ? 5_000 : 100_000;
const READ_ROWS = quick ? 50_000 : 1_000_000;
const SEARCHES = quick ? 160 : 1000;
const T0 = 1_700_000_000;
const key = { dtype: "number" as const, shape: [], source: "SIM:x" };
const PLANS = ["count", "scan", "rel_scan", "grid_scan", "list_scan"];
const SAMPLES = ["silicon", "lab6", "germanium", "quartz", "kapton"];

function eventRun(n: number, pageRows: number | null, scanId: number): NamedDocument[] {
  const run = composeRun({ metadata: { plan_name: "count", scan_id: scanId }, validate: false });
  const d = run.composeDescriptor({
    name: "primary",
    data_keys: { det: key, motor: key, motor_setpoint: key },
    validate: false,
  });
  const docs: NamedDocument[] = [
    ["start", run.startDoc],
    ["descriptor", d.descriptorDoc],
  ];
  if (pageRows === null) {
    for (let i = 0; i < n; i++) {
      const t = T0 + i;
      docs.push([
        "event",
        d.composeEvent({
          data: { det: Math.sin(i), motor: i, motor_setpoint: i },
          timestamps: { det: t, motor: t, motor_setpoint: t },
          validate: false,
        }),
      ]);
    }
  } else {
    for (let at = 0; at < n; at += pageRows) {
      const rows = Array.from({ length: Math.min(pageRows, n - at) }, (_, i) => at + i);
      const t = rows.map((i) => T0 + i);
      docs.push([
        "event_page",
        d.composeEventPage({
          data: { det: rows.map(Math.sin), motor: rows, motor_setpoint: rows },
          timestamps: { det: t, motor: t, motor_setpoint: t },
          time: t,
          validate: false,
        }),
      ]);
    }
  }
  docs.push(["stop", run.composeStop({ validate: false })]);
  return docs;
}

async function ingest(catalog: Catalog, docs: readonly NamedDocument[]): Promise<void> {
  for (const [name, doc] of docs) catalog.insert(name, doc as never);
  await catalog.flush();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Ingest rates: single events (packed into pages by the catalog) and event pages, validated. */
async function benchIngest(label: string, open: () => Promise<CatalogStorage>): Promise<void> {
  const catalog = new Catalog(await open());
  let scan = 0;
  const single = Array.from({ length: 4 }, () => eventRun(INGEST_EVENTS, null, ++scan));
  let next = 0;
  await rate(
    `broker.${label}.ingest_events`,
    "events/s",
    INGEST_EVENTS,
    () => ingest(catalog, single[next++]!),
    { repeats: 3 },
  );
  const paged = Array.from({ length: 4 }, () => eventRun(INGEST_EVENTS, 1000, ++scan));
  next = 0;
  await rate(
    `broker.${label}.ingest_event_pages`,
    "events/s",
    INGEST_EVENTS,
    () => ingest(catalog, paged[next++]!),
    { repeats: 3 },
  );
  await catalog.close();
}

async function benchBackend(label: string, open: () => Promise<CatalogStorage>): Promise<void> {
  // In its own function so that the composed documents are garbage before the reads are timed.
  await benchIngest(label, open);

  // Search latency over many runs with varied metadata.
  const catalog = new Catalog(await open(), { validate: false });
  for (let at = 0; at < SEARCH_RUNS; at += 5000) {
    const docs: NamedDocument[] = [];
    for (let i = at; i < Math.min(SEARCH_RUNS, at + 5000); i++) {
      const run = composeRun({
        time: T0 + i * 60,
        metadata: {
          scan_id: i + 1,
          plan_name: PLANS[i % 5],
          sample: { name: SAMPLES[(i >> 3) % 5] },
          num_points: i % 97,
          operator: `user${i % 13}`,
        },
        validate: false,
      });
      docs.push(
        ["start", run.startDoc],
        ["stop", run.composeStop({ time: T0 + i * 60 + 30, validate: false })],
      );
    }
    await ingest(catalog, docs);
  }
  const queries: [string, () => Promise<unknown>][] = [
    ["scan_id", () => catalog.get(1 + Math.floor(Math.random() * SEARCH_RUNS))],
    ["latest", () => catalog.get(-1)],
    ["eq_page", () => catalog.search(eq("plan_name", "grid_scan"), { sort: ["-"], limit: 20 })],
    ["nested_eq_count", () => catalog.count(eq("sample.name", "quartz"))],
    ["comparison", () => catalog.search([comparison("ge", "num_points", 95)], { limit: 20 })],
    [
      "time_range",
      () => catalog.search(timeRange({ since: T0 + 3600 * 24, until: T0 + 3600 * 26 })),
    ],
    [
      "fulltext",
      () =>
        catalog.search(fullText("germanium user7") as Query, { sort: ["-start.time"], limit: 20 }),
    ],
    [
      "combined_sorted",
      () =>
        catalog.search(
          [eq("plan_name", "scan"), comparison("lt", "num_points", 10), fullText("kapton")],
          { sort: ["-start.scan_id"], limit: 20 },
        ),
    ],
  ];
  const all: number[] = [];
  for (const [name, run] of queries) {
    await run();
    const ms: number[] = [];
    for (let i = 0; i < SEARCHES / queries.length; i++) {
      const t0 = process.hrtime.bigint();
      await run();
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    all.push(...ms);
    report({
      name: `broker.${label}.search_${name}_p50`,
      unit: "ms",
      n: SEARCH_RUNS,
      value: percentile(ms, 0.5),
    });
  }
  all.sort((a, b) => a - b);
  report({
    name: `broker.${label}.search_p50`,
    unit: "ms",
    n: SEARCH_RUNS,
    value: percentile(all, 0.5),
  });
  report({
    name: `broker.${label}.search_p99`,
    unit: "ms",
    n: SEARCH_RUNS,
    value: percentile(all, 0.99),
  });

  // One large stream read back as columns.
  await ingest(catalog, eventRun(READ_ROWS, 10_000, 10_000_000));
  const stream = await (await catalog.get(10_000_000)).stream();
  await rate(
    `broker.${label}.read_columns`,
    "rows/s",
    READ_ROWS,
    async () => {
      const table = await stream.read();
      if (table.length !== READ_ROWS || !(table.data["det"] instanceof Float64Array))
        throw new Error("read_columns: wrong result");
    },
    { repeats: 3 },
  );
  await rate(
    `broker.${label}.read_slice_1000_rows`,
    "reads/s",
    1,
    () => stream.read({ start: READ_ROWS / 2, stop: READ_ROWS / 2 + 1000 }),
    { repeats: 20 },
  );
  await catalog.close();
}

const dir = mkdtempSync(join(tmpdir(), "cerulean-bench-"));
try {
  let n = 0;
  await benchBackend(
    "sqlite",
    async () => new SqliteStorage({ path: join(dir, `catalog-${n++}.sqlite`) }),
  );
  let server: Awaited<ReturnType<typeof startPostgresServer>> | null = null;
  try {
    server = await startPostgresServer({ fsync: true });
  } catch (err) {
    if (!(err instanceof PostgresServerError)) throw err;
    console.log(`# PostgreSQL benchmarks skipped: ${err.message}`);
  }
  if (server) {
    try {
      const url = server.connectionString;
      const pg = await import("pg");
      let db = 0;
      await benchBackend("postgres", async () => {
        const name = `bench_${db++}`;
        const admin = new pg.default.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        return PostgresStorage.open({ connectionString: url.replace(/\/postgres$/, `/${name}`) });
      });
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
