// QueueStorage in one SQLite file (WAL): the embedded default. The manager keeps the queue in
// memory and rewrites it, so two servers on one file would overwrite each other's edits: the
// file is held with SQLite's exclusive locking mode, a lock the OS drops when the process ends
// (even by SIGKILL), and a second server refuses to start.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StorageInUseError } from "../../errors.ts";
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
  /** Names this process as the holder, for the message of a refused second server. */
  readonly #pidFile: string | undefined;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    // No busy wait: the lock is held for the holder's whole life, waiting cannot help.
    this.#db = new Database(path, { timeout: 0 });
    try {
      this.#db.pragma("locking_mode = EXCLUSIVE");
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma("synchronous = NORMAL");
      this.#db.exec(SCHEMA);
      // A write takes the exclusive lock, kept until close (a read alone would share it).
      this.#db.exec("BEGIN IMMEDIATE; COMMIT");
    } catch (err) {
      this.#db.close();
      if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
        throw new StorageInUseError(inUseMessage(path));
      }
      throw err;
    }
    if (path !== ":memory:") {
      this.#pidFile = `${path}.pid`;
      writeFileSync(this.#pidFile, `${process.pid}\n`);
    }
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
    if (!this.#db.open) return;
    this.#db.close();
    if (this.#pidFile) rmSync(this.#pidFile, { force: true });
  }

  #rows(sql: string): QueueItem[] {
    const out: QueueItem[] = [];
    for (const row of this.#db.prepare(sql).all() as { item: string }[]) {
      out.push(JSON.parse(row.item) as QueueItem);
    }
    return out;
  }
}

/** Why the file cannot be opened, with the holder's pid when its pid file names a live one. */
function inUseMessage(path: string): string {
  const pid = holderPid(`${path}.pid`);
  const holder = pid === undefined ? "another process" : `another process (pid ${pid})`;
  return `the queue storage "${path}" is in use by ${holder}: is another queue server running on this data directory? Stop it, or give this server another data directory`;
}

function holderPid(pidFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, owned by another user.
    return (err as { code?: string }).code === "EPERM" ? pid : undefined;
  }
}
