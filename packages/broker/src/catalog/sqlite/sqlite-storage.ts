import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DocumentName } from "@cerulean/event-model";
import Database from "better-sqlite3";
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
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from "./schema.ts";
import { orderSql, whereSql } from "./sqlite-query.ts";

export interface SqliteStorageOptions {
  /** The database file (created with its directory), or ":memory:". */
  path: string;
  /** How long a writer waits for another process's write lock (default 30 s). */
  busyTimeoutMs?: number;
  /**
   * "FULL" (default) syncs every commit to disk, so an acknowledged document survives a power
   * cut; "NORMAL" survives a crash of the process only, and commits faster.
   */
  synchronous?: "FULL" | "NORMAL";
}

interface RunRow {
  id: number;
  uid: string;
  start_doc: Uint8Array;
  stop_doc: Uint8Array | null;
}

interface PageRow {
  run_uid: string;
  descriptor: string;
  ord: number;
  source: "event" | "event_page";
  rows: number;
  seq_first: number;
  seq_last: number;
  payload: Uint8Array;
}

// Pages and documents are read in chunks: better-sqlite3 cannot run other statements on a
// connection while an iterator is open, and a whole 1,000,000-row stream should not sit in memory.
const CHUNK = 64;
const PAGE_COLUMNS = "run_uid, descriptor, ord, source, rows, seq_first, seq_last, payload";

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

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    uid: row.uid,
    start: decodeDoc(row.start_doc, `start document of run ${row.uid}`),
    stop: row.stop_doc ? decodeDoc(row.stop_doc, `stop document of run ${row.uid}`) : null,
  };
}

/** The embedded catalog storage: one SQLite file in WAL mode, safe for several processes. */
export class SqliteStorage implements CatalogStorage {
  readonly kind = "sqlite";
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(options: SqliteStorageOptions) {
    this.path = options.path;
    try {
      if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
      this.#db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 30_000 });
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
      this.#db.pragma("foreign_keys = OFF");
      this.#migrate();
    } catch (err) {
      throw new StorageError(
        `cannot open the SQLite catalog ${options.path}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }

  #migrate(): void {
    const version = this.#db.pragma("user_version", { simple: true }) as number;
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new StorageError(
        `the catalog ${this.path} has schema version ${version}, newer than this Cerulean understands (${SQLITE_SCHEMA_VERSION}); upgrade Cerulean`,
      );
    }
    if (version === SQLITE_SCHEMA_VERSION) return;
    this.#db
      .transaction(() => {
        this.#db.exec(SQLITE_SCHEMA);
        this.#db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
      })
      .immediate();
  }

  #stmt(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  async write(ops: readonly StorageOp[]): Promise<void> {
    // IMMEDIATE takes the write lock up front: a deferred transaction that upgrades from read to
    // write can fail with SQLITE_BUSY without waiting, the "database is locked" of concurrent use.
    this.#db
      .transaction(() => {
        for (const op of ops) this.#apply(op);
      })
      .immediate();
  }

  #apply(op: StorageOp): void {
    const insertDoc = this.#stmt(
      "INSERT INTO documents (run_uid, ord, name, uid, doc) VALUES (?, ?, ?, ?, ?)",
    );
    switch (op.kind) {
      case "start": {
        const result = this.#stmt(
          "INSERT INTO runs (uid, time, scan_id, start, start_doc) VALUES (?, ?, ?, jsonb(?), ?) ON CONFLICT (uid) DO NOTHING",
        ).run(op.uid, op.doc.time, op.doc.scan_id ?? null, op.json, op.bytes);
        if (result.changes === 0) return;
        this.#stmt("INSERT INTO runs_fts (rowid, text) VALUES (?, ?)").run(
          result.lastInsertRowid,
          op.text,
        );
        insertDoc.run(op.uid, 0, "start", op.uid, op.bytes);
        return;
      }
      case "stop":
        this.#stmt("UPDATE runs SET stop = jsonb(?), stop_doc = ? WHERE uid = ?").run(
          op.json,
          op.bytes,
          op.runUid,
        );
        this.#stmt(
          "UPDATE runs_fts SET text = ? WHERE rowid = (SELECT id FROM runs WHERE uid = ?)",
        ).run(op.text, op.runUid);
        insertDoc.run(op.runUid, op.ord, "stop", op.doc.uid, op.bytes);
        return;
      case "descriptor":
        this.#stmt(
          "INSERT INTO descriptors (uid, run_uid, name, ord, doc) VALUES (?, ?, ?, ?, ?)",
        ).run(op.doc.uid, op.runUid, op.doc.name ?? "primary", op.ord, op.bytes);
        insertDoc.run(op.runUid, op.ord, "descriptor", op.doc.uid, op.bytes);
        return;
      case "document":
        insertDoc.run(op.runUid, op.ord, op.name, op.uid, op.bytes);
        return;
      case "page":
        this.#stmt(
          "INSERT INTO pages (run_uid, descriptor, ord, source, rows, seq_first, seq_last, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ).run(
          op.runUid,
          op.page.descriptor,
          op.ord,
          op.page.source,
          op.page.rows,
          op.page.seqFirst,
          op.page.seqLast,
          op.bytes,
        );
        return;
    }
  }

  async getRuns(uids: readonly string[]): Promise<StoredRun[]> {
    if (uids.length === 0) return [];
    const stmt = this.#stmt("SELECT id, uid, start_doc, stop_doc FROM runs WHERE uid = ?");
    return uids
      .map((uid) => stmt.get(uid) as RunRow | undefined)
      .filter((r) => r !== undefined)
      .map(toRun);
  }

  async searchRuns(search: RunSearch): Promise<StoredRun[]> {
    const where = whereSql(search.filters);
    const sql = `SELECT id, uid, start_doc, stop_doc FROM runs WHERE ${where.sql} ORDER BY ${orderSql(search.sorts)} LIMIT ? OFFSET ?`;
    const rows = this.#stmt(sql).all(
      ...where.params,
      search.limit ?? -1,
      search.offset,
    ) as RunRow[];
    return rows.map(toRun);
  }

  async countRuns(filters: readonly Filter[]): Promise<number> {
    const where = whereSql(filters);
    const row = this.#stmt(`SELECT count(*) AS n FROM runs WHERE ${where.sql}`).get(
      ...where.params,
    ) as { n: number };
    return row.n;
  }

  async descriptors(runUid: string): Promise<StoredDescriptor[]> {
    const rows = this.#stmt(
      "SELECT run_uid, ord, doc FROM descriptors WHERE run_uid = ? ORDER BY ord",
    ).all(runUid) as {
      run_uid: string;
      ord: number;
      doc: Uint8Array;
    }[];
    return rows.map((r) => ({
      runUid: r.run_uid,
      ord: r.ord,
      doc: decodeDoc(r.doc, `descriptor of run ${runUid}`),
    }));
  }

  async *pages(
    descriptors: readonly string[],
    seq?: { from: number; to: number },
  ): AsyncIterable<StoredPage> {
    if (descriptors.length === 0) return;
    const marks = descriptors.map(() => "?").join(", ");
    const range = seq ? " AND seq_last >= ? AND seq_first < ?" : "";
    const stmt = this.#stmt(
      `SELECT ${PAGE_COLUMNS} FROM pages WHERE descriptor IN (${marks})${range} AND ord > ? ORDER BY ord LIMIT ${CHUNK}`,
    );
    const bounds = seq ? [seq.from, seq.to] : [];
    yield* this.#chunked((after) => stmt.all(...descriptors, ...bounds, after) as PageRow[]);
  }

  async *runPages(runUid: string): AsyncIterable<StoredPage> {
    const stmt = this.#stmt(
      `SELECT ${PAGE_COLUMNS} FROM pages WHERE run_uid = ? AND ord > ? ORDER BY ord LIMIT ${CHUNK}`,
    );
    yield* this.#chunked((after) => stmt.all(runUid, after) as PageRow[]);
  }

  async *#chunked(fetch: (after: number) => PageRow[]): AsyncIterable<StoredPage> {
    let after = -1;
    for (;;) {
      const rows = fetch(after);
      for (const row of rows) yield toPage(row);
      if (rows.length < CHUNK) return;
      after = rows[rows.length - 1]!.ord;
    }
  }

  async *documents(runUid: string, names?: readonly DocumentName[]): AsyncIterable<StoredDocument> {
    const filter = names ? ` AND name IN (${names.map(() => "?").join(", ")})` : "";
    const stmt = this.#stmt(
      `SELECT run_uid, ord, name, doc FROM documents WHERE run_uid = ?${filter} AND ord > ? ORDER BY ord LIMIT ${CHUNK * 16}`,
    );
    let after = -1;
    for (;;) {
      const rows = stmt.all(runUid, ...(names ?? []), after) as {
        run_uid: string;
        ord: number;
        name: DocumentName;
        doc: Uint8Array;
      }[];
      for (const r of rows) yield { runUid: r.run_uid, ord: r.ord, name: r.name, bytes: r.doc };
      if (rows.length < CHUNK * 16) return;
      after = rows[rows.length - 1]!.ord;
    }
  }

  async counts(runUid: string): Promise<DescriptorCounts[]> {
    return this.#stmt(
      "SELECT descriptor, sum(rows) AS rows, max(seq_last) AS maxSeq FROM pages WHERE run_uid = ? GROUP BY descriptor",
    ).all(runUid) as DescriptorCounts[];
  }

  async locate(uid: string): Promise<DocumentLocation | undefined> {
    const row = this.#stmt("SELECT run_uid, name FROM documents WHERE uid = ? LIMIT 1").get(uid) as
      | { run_uid: string; name: DocumentName }
      | undefined;
    return row ? { runUid: row.run_uid, name: row.name } : undefined;
  }

  async maxOrd(runUid: string): Promise<number> {
    const row = this.#stmt(
      "SELECT max(ifnull((SELECT max(ord) FROM documents WHERE run_uid = ?), -1), ifnull((SELECT max(ord) FROM pages WHERE run_uid = ?), -1)) AS n",
    ).get(runUid, runUid) as { n: number };
    return row.n;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
