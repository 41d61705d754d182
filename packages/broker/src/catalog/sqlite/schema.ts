// The SQLite schema. Documents are msgpack blobs (exact); `start`/`stop` are JSONB copies that
// only search reads; event pages are blobs indexed by descriptor and seq_num range.

/** Bumped when the schema changes incompatibly; stored in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 1;

export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,
  time REAL NOT NULL,
  scan_id INTEGER,
  start BLOB NOT NULL,
  start_doc BLOB NOT NULL,
  stop BLOB,
  stop_doc BLOB
);
CREATE INDEX IF NOT EXISTS runs_time ON runs (time);
CREATE INDEX IF NOT EXISTS runs_scan_id ON runs (scan_id, id);
CREATE VIRTUAL TABLE IF NOT EXISTS runs_fts USING fts5 (text, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS descriptors (
  uid TEXT PRIMARY KEY,
  run_uid TEXT NOT NULL,
  name TEXT NOT NULL,
  ord INTEGER NOT NULL,
  doc BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS descriptors_run ON descriptors (run_uid, ord);
CREATE TABLE IF NOT EXISTS documents (
  run_uid TEXT NOT NULL,
  ord INTEGER NOT NULL,
  name TEXT NOT NULL,
  uid TEXT,
  doc BLOB NOT NULL,
  PRIMARY KEY (run_uid, ord)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_uid ON documents (uid) WHERE uid IS NOT NULL;
CREATE TABLE IF NOT EXISTS pages (
  id INTEGER PRIMARY KEY,
  run_uid TEXT NOT NULL,
  descriptor TEXT NOT NULL,
  ord INTEGER NOT NULL,
  source TEXT NOT NULL,
  rows INTEGER NOT NULL,
  seq_first INTEGER NOT NULL,
  seq_last INTEGER NOT NULL,
  payload BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_descriptor ON pages (descriptor, ord);
CREATE INDEX IF NOT EXISTS pages_run ON pages (run_uid, ord);
`;
