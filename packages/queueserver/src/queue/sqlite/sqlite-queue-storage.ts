// QueueStorage in one SQLite file (WAL): the embedded default.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { QueueItem } from "../../types.ts";
import type { QueueStorage } from "../storage.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plan_queue (pos INTEGER PRIMARY KEY, item TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan_history (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Stores the queue server state in `path` (":memory:" for tests). */
export class SqliteQueueStorage implements QueueStorage {
  readonly #db: Database.Database;
  readonly #insertQueue: Database.Statement;
  readonly #insertHistory: Database.Statement;
  readonly #setRecord: Database.Statement;
  readonly #getRecord: Database.Statement;
  readonly #maxPos: Database.Statement;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.exec(SCHEMA);
    this.#insertQueue = this.#db.prepare("INSERT INTO plan_queue (pos, item) VALUES (?, ?)");
    this.#insertHistory = this.#db.prepare("INSERT INTO plan_history (item) VALUES (?)");
    this.#setRecord = this.#db.prepare(
      "INSERT INTO records (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
    this.#getRecord = this.#db.prepare("SELECT value FROM records WHERE key = ?");
    this.#maxPos = this.#db.prepare("SELECT COALESCE(MAX(pos), -1) AS pos FROM plan_queue");
  }

  loadQueue(): QueueItem[] {
    return this.#rows("SELECT item FROM plan_queue ORDER BY pos");
  }

  saveQueue(items: readonly QueueItem[]): void {
    this.#db.transaction(() => {
      this.#db.exec("DELETE FROM plan_queue");
      for (const [i, item] of items.entries()) this.#insertQueue.run(i, JSON.stringify(item));
    })();
  }

  pushQueue(item: QueueItem): void {
    const { pos } = this.#maxPos.get() as { pos: number };
    this.#insertQueue.run(pos + 1, JSON.stringify(item));
  }

  loadHistory(): QueueItem[] {
    return this.#rows("SELECT item FROM plan_history ORDER BY id");
  }

  appendHistory(item: QueueItem): void {
    this.#insertHistory.run(JSON.stringify(item));
  }

  saveHistory(items: readonly QueueItem[]): void {
    this.#db.transaction(() => {
      this.#db.exec("DELETE FROM plan_history");
      for (const item of items) this.#insertHistory.run(JSON.stringify(item));
    })();
  }

  loadRunning(): QueueItem | null {
    return this.getRecord<QueueItem | null>("running_plan") ?? null;
  }

  saveRunning(item: QueueItem | null): void {
    this.setRecord("running_plan", item);
  }

  getRecord<T>(key: string): T | undefined {
    const row = this.#getRecord.get(key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  setRecord(key: string, value: unknown): void {
    this.#setRecord.run(key, JSON.stringify(value));
  }

  close(): void {
    this.#db.close();
  }

  #rows(sql: string): QueueItem[] {
    const out: QueueItem[] = [];
    for (const row of this.#db.prepare(sql).all() as { item: string }[]) {
      out.push(JSON.parse(row.item) as QueueItem);
    }
    return out;
  }
}
