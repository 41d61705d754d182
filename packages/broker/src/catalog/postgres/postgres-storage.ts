import type { DocumentName } from "@cerulean/event-model";
import pg from "pg";
import Cursor from "pg-cursor";
import { StorageError } from "../../errors.ts";
import type { Filter } from "../../query/filters.ts";
import { decodeDoc } from "../doc-codec.ts";
import type {
  CatalogStorage,
  DescriptorCounts,
  DocumentLocation,
  RunSearch,
  StorageOp,
  StoredDescriptor,
  StoredDocument,
  StoredPage,
  StoredRun,
} from "../storage.ts";
import { pgOrder, pgWhere } from "./postgres-query.ts";
import { POSTGRES_SCHEMA, POSTGRES_SCHEMA_LOCK, POSTGRES_SCHEMA_VERSION } from "./schema.ts";

export interface PostgresStorageOptions {
  /** e.g. `postgresql://user@127.0.0.1:5432/catalog` */
  connectionString: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

// bigint and numeric results as numbers: ids, counts and seq_nums stay far below 2^53.
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

interface RunRow {
  id: number;
  uid: string;
  start_doc: Buffer;
  stop_doc: Buffer | null;
}

interface PageRow {
  run_uid: string;
  descriptor: string;
  ord: number;
  source: "event" | "event_page";
  rows: number;
  seq_first: number;
  seq_last: number;
  payload: Buffer;
}

const PAGE_COLUMNS = "run_uid, descriptor, ord, source, rows, seq_first, seq_last, payload";
const CURSOR_BATCH = 32;

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    uid: row.uid,
    start: decodeDoc(row.start_doc, `start document of run ${row.uid}`),
    stop: row.stop_doc ? decodeDoc(row.stop_doc, `stop document of run ${row.uid}`) : null,
  };
}

function toPage(row: PageRow): StoredPage {
  return {
    runUid: row.run_uid,
    descriptor: row.descriptor,
    ord: row.ord,
    source: row.source,
    rows: row.rows,
    seqFirst: row.seq_first,
    seqLast: row.seq_last,
    bytes: row.payload,
  };
}

/** The catalog storage for facilities: a PostgreSQL database shared by many hosts. */
export class PostgresStorage implements CatalogStorage {
  readonly kind = "postgres";
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects and creates the schema if the database has none. */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      types,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on("error", () => {});
    const storage = new PostgresStorage(pool);
    try {
      await storage.#migrate();
    } catch (err) {
      await pool.end().catch(() => {});
      const where = options.connectionString.replace(/\/\/[^@/]*@/, "//***@");
      throw new StorageError(
        `cannot open the PostgreSQL catalog ${where}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return storage;
  }

  async #migrate(): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [POSTGRES_SCHEMA_LOCK]);
      const exists = await client.query(
        "SELECT to_regclass('cerulean_catalog_schema') IS NOT NULL AS ok",
      );
      if (exists.rows[0]?.ok) {
        const found = await client.query("SELECT max(version) AS v FROM cerulean_catalog_schema");
        const version = Number(found.rows[0]?.v ?? 0);
        if (version > POSTGRES_SCHEMA_VERSION) {
          throw new StorageError(
            `the catalog has schema version ${version}, newer than this Cerulean understands (${POSTGRES_SCHEMA_VERSION}); upgrade Cerulean`,
          );
        }
        if (version === POSTGRES_SCHEMA_VERSION) return;
      }
      await client.query(POSTGRES_SCHEMA);
      await client.query("DELETE FROM cerulean_catalog_schema");
      await client.query("INSERT INTO cerulean_catalog_schema (version) VALUES ($1)", [
        POSTGRES_SCHEMA_VERSION,
      ]);
    });
  }

  async #transaction(body: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      await body(client);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async write(ops: readonly StorageOp[]): Promise<void> {
    await this.#transaction(async (client) => {
      for (const op of ops) await this.#apply(client, op);
    });
  }

  async #apply(client: pg.PoolClient, op: StorageOp): Promise<void> {
    const insertDoc =
      "INSERT INTO documents (run_uid, ord, name, uid, doc) VALUES ($1, $2, $3, $4, $5)";
    switch (op.kind) {
      case "start": {
        const result = await client.query(
          "INSERT INTO runs (uid, time, scan_id, start, start_doc, fts) VALUES ($1, $2, $3, $4, $5, to_tsvector('simple', $6)) ON CONFLICT (uid) DO NOTHING",
          [op.uid, op.doc.time, op.doc.scan_id ?? null, op.json, Buffer.from(op.bytes), op.text],
        );
        if (result.rowCount === 0) return;
        await client.query(insertDoc, [op.uid, 0, "start", op.uid, Buffer.from(op.bytes)]);
        return;
      }
      case "stop":
        await client.query(
          "UPDATE runs SET stop = $1, stop_doc = $2, fts = to_tsvector('simple', $3) WHERE uid = $4",
          [op.json, Buffer.from(op.bytes), op.text, op.runUid],
        );
        await client.query(insertDoc, [
          op.runUid,
          op.ord,
          "stop",
          op.doc.uid,
          Buffer.from(op.bytes),
        ]);
        return;
      case "descriptor":
        await client.query(
          "INSERT INTO descriptors (uid, run_uid, name, ord, doc) VALUES ($1, $2, $3, $4, $5)",
          [op.doc.uid, op.runUid, op.doc.name ?? "primary", op.ord, Buffer.from(op.bytes)],
        );
        await client.query(insertDoc, [
          op.runUid,
          op.ord,
          "descriptor",
          op.doc.uid,
          Buffer.from(op.bytes),
        ]);
        return;
      case "document":
        await client.query(insertDoc, [op.runUid, op.ord, op.name, op.uid, Buffer.from(op.bytes)]);
        return;
      case "page":
        await client.query(
          "INSERT INTO pages (run_uid, descriptor, ord, source, rows, seq_first, seq_last, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          [
            op.runUid,
            op.page.descriptor,
            op.ord,
            op.page.source,
            op.page.rows,
            op.page.seqFirst,
            op.page.seqLast,
            Buffer.from(op.bytes.buffer, op.bytes.byteOffset, op.bytes.byteLength),
          ],
        );
        return;
    }
  }

  async getRuns(uids: readonly string[]): Promise<StoredRun[]> {
    if (uids.length === 0) return [];
    const result = await this.#pool.query<RunRow>(
      "SELECT id, uid, start_doc, stop_doc FROM runs WHERE uid = ANY($1::text[])",
      [uids],
    );
    return result.rows.map(toRun);
  }

  async searchRuns(search: RunSearch): Promise<StoredRun[]> {
    const where = pgWhere(search.filters);
    const params = [...where.params];
    const order = pgOrder(search.sorts, params);
    params.push(search.limit, search.offset);
    const n = params.length;
    const result = await this.#pool.query<RunRow>(
      `SELECT id, uid, start_doc, stop_doc FROM runs WHERE ${where.sql} ORDER BY ${order} LIMIT $${n - 1} OFFSET $${n}`,
      params,
    );
    return result.rows.map(toRun);
  }

  async countRuns(filters: readonly Filter[]): Promise<number> {
    const where = pgWhere(filters);
    const result = await this.#pool.query(
      `SELECT count(*) AS n FROM runs WHERE ${where.sql}`,
      where.params,
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async descriptors(runUid: string): Promise<StoredDescriptor[]> {
    const result = await this.#pool.query<{ run_uid: string; ord: number; doc: Buffer }>(
      "SELECT run_uid, ord, doc FROM descriptors WHERE run_uid = $1 ORDER BY ord",
      [runUid],
    );
    return result.rows.map((r) => ({
      runUid: r.run_uid,
      ord: r.ord,
      doc: decodeDoc(r.doc, `descriptor of run ${runUid}`),
    }));
  }

  pages(
    descriptors: readonly string[],
    seq?: { from: number; to: number },
  ): AsyncIterable<StoredPage> {
    const range = seq ? " AND seq_last >= $2 AND seq_first < $3" : "";
    const params = seq ? [descriptors, seq.from, seq.to] : [descriptors];
    return this.#cursor(
      `SELECT ${PAGE_COLUMNS} FROM pages WHERE descriptor = ANY($1::text[])${range} ORDER BY ord`,
      params,
      toPage,
    );
  }

  runPages(runUid: string): AsyncIterable<StoredPage> {
    return this.#cursor(
      `SELECT ${PAGE_COLUMNS} FROM pages WHERE run_uid = $1 ORDER BY ord`,
      [runUid],
      toPage,
    );
  }

  documents(runUid: string, names?: readonly DocumentName[]): AsyncIterable<StoredDocument> {
    const filter = names ? " AND name = ANY($2::text[])" : "";
    return this.#cursor(
      `SELECT run_uid, ord, name, doc FROM documents WHERE run_uid = $1${filter} ORDER BY ord`,
      names ? [runUid, names] : [runUid],
      (r: { run_uid: string; ord: number; name: DocumentName; doc: Buffer }) => ({
        runUid: r.run_uid,
        ord: r.ord,
        name: r.name,
        bytes: r.doc,
      }),
    );
  }

  /** Streams a large result through a server-side cursor on a dedicated connection. */
  async *#cursor<R, T>(sql: string, params: unknown[], map: (row: R) => T): AsyncIterable<T> {
    const client = await this.#pool.connect();
    const cursor = client.query(new Cursor<R>(sql, params));
    try {
      for (;;) {
        const rows = await cursor.read(CURSOR_BATCH);
        for (const row of rows) yield map(row);
        if (rows.length < CURSOR_BATCH) return;
      }
    } finally {
      await cursor.close().catch(() => {});
      client.release();
    }
  }

  async counts(runUid: string): Promise<DescriptorCounts[]> {
    const result = await this.#pool.query<DescriptorCounts>(
      'SELECT descriptor, sum(rows) AS rows, max(seq_last) AS "maxSeq" FROM pages WHERE run_uid = $1 GROUP BY descriptor',
      [runUid],
    );
    return result.rows;
  }

  async locate(uid: string): Promise<DocumentLocation | undefined> {
    const result = await this.#pool.query<{ run_uid: string; name: DocumentName }>(
      "SELECT run_uid, name FROM documents WHERE uid = $1 LIMIT 1",
      [uid],
    );
    const row = result.rows[0];
    return row ? { runUid: row.run_uid, name: row.name } : undefined;
  }

  async maxOrd(runUid: string): Promise<number> {
    const result = await this.#pool.query(
      "SELECT greatest(coalesce((SELECT max(ord) FROM documents WHERE run_uid = $1), -1), coalesce((SELECT max(ord) FROM pages WHERE run_uid = $1), -1)) AS n",
      [runUid],
    );
    return Number(result.rows[0]?.n ?? -1);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
