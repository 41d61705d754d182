// How the contract suite gets databases: one factory per backend.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  type CatalogStorage,
  type PostgresServer,
  PostgresStorage,
  SqliteStorage,
  startPostgresServer,
} from "../../../src/index.ts";

export interface StorageFactory {
  readonly label: string;
  /** A fresh, empty database. */
  create(): Promise<CatalogStorage>;
  /** A second, independent connection to the database behind `storage`. */
  reopen(storage: CatalogStorage): Promise<CatalogStorage>;
  /** Removes everything the factory made. */
  dispose(): Promise<void>;
}

/** SQLite files in a temporary directory. */
export function sqliteFactory(): StorageFactory {
  const dir = mkdtempSync(join(tmpdir(), "cerulean-broker-"));
  const paths = new Map<CatalogStorage, string>();
  let n = 0;
  return {
    label: "sqlite",
    async create() {
      const path = join(dir, `catalog-${n++}.sqlite`);
      const storage = new SqliteStorage({ path, synchronous: "NORMAL" });
      paths.set(storage, path);
      return storage;
    },
    async reopen(storage) {
      const path = paths.get(storage);
      if (!path) throw new Error("reopen: storage was not made by this factory");
      const again = new SqliteStorage({ path, synchronous: "NORMAL" });
      paths.set(again, path);
      return again;
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One throwaway PostgreSQL server; a new database per `create()`. */
export async function postgresFactory(): Promise<StorageFactory> {
  const server: PostgresServer = await startPostgresServer();
  const urls = new Map<CatalogStorage, string>();
  let n = 0;
  return {
    label: "postgres",
    async create() {
      const name = `catalog_${n++}`;
      const admin = new pg.Client({ connectionString: server.connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const url = server.connectionString.replace(/\/postgres$/, `/${name}`);
      const storage = await PostgresStorage.open({ connectionString: url });
      urls.set(storage, url);
      return storage;
    },
    async reopen(storage) {
      const url = urls.get(storage);
      if (!url) throw new Error("reopen: storage was not made by this factory");
      const again = await PostgresStorage.open({ connectionString: url });
      urls.set(again, url);
      return again;
    },
    async dispose() {
      await server.stop();
    },
  };
}
