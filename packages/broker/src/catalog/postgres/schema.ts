// The PostgreSQL schema: the same tables as SQLite's, with jsonb for search (GIN-indexed),
// bytea for documents and pages, and a tsvector for full text.

/** Bumped when the schema changes incompatibly; stored in `cerulean_catalog_schema`. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** Serializes concurrent first-time schema creation by several processes. */
export const POSTGRES_SCHEMA_LOCK = 0x63_65_72_75;

export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS cerulean_catalog_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id bigserial PRIMARY KEY,
  uid text COLLATE "C" NOT NULL UNIQUE,
  time double precision NOT NULL,
  scan_id bigint,
  start jsonb NOT NULL,
  start_doc bytea NOT NULL,
  stop jsonb,
  stop_doc bytea,
  fts tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_time ON runs (time);
CREATE INDEX IF NOT EXISTS runs_scan_id ON runs (scan_id, id);
CREATE INDEX IF NOT EXISTS runs_start_gin ON runs USING gin (start jsonb_path_ops);
CREATE INDEX IF NOT EXISTS runs_fts ON runs USING gin (fts);
CREATE TABLE IF NOT EXISTS descriptors (
  uid text PRIMARY KEY,
  run_uid text NOT NULL,
  name text NOT NULL,
  ord integer NOT NULL,
  doc bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS descriptors_run ON descriptors (run_uid, ord);
CREATE TABLE IF NOT EXISTS documents (
  run_uid text NOT NULL,
  ord integer NOT NULL,
  name text NOT NULL,
  uid text,
  doc bytea NOT NULL,
  PRIMARY KEY (run_uid, ord)
);
CREATE INDEX IF NOT EXISTS documents_uid ON documents (uid) WHERE uid IS NOT NULL;
CREATE TABLE IF NOT EXISTS pages (
  id bigserial PRIMARY KEY,
  run_uid text NOT NULL,
  descriptor text NOT NULL,
  ord integer NOT NULL,
  source text NOT NULL,
  rows integer NOT NULL,
  seq_first bigint NOT NULL,
  seq_last bigint NOT NULL,
  payload bytea NOT NULL
);
-- Pages and documents are compact binary already: compressing them costs more than it saves.
ALTER TABLE pages ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE documents ALTER COLUMN doc SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS pages_descriptor ON pages (descriptor, ord);
CREATE INDEX IF NOT EXISTS pages_run ON pages (run_uid, ord);
`;
