import { Catalog, type CatalogOptions } from "./catalog.ts";
import { PostgresStorage } from "./postgres/postgres-storage.ts";
import { SqliteStorage, type SqliteStorageOptions } from "./sqlite/sqlite-storage.ts";
import type { CatalogStorage } from "./storage.ts";

/** The default catalog file (DESIGN.md: data directory ./data). */
export const DEFAULT_CATALOG_PATH = "./data/catalog.sqlite";

/** Where a catalog lives: a SQLite file path (or `sqlite:` URL) or a `postgresql://` URL. */
export type CatalogLocation = string;

/** Opens the storage for a location: `postgres://` / `postgresql://` URLs, else a SQLite file. */
export async function openStorage(
  location: CatalogLocation = DEFAULT_CATALOG_PATH,
  sqlite: Omit<SqliteStorageOptions, "path"> = {},
): Promise<CatalogStorage> {
  if (/^postgres(ql)?:\/\//.test(location))
    return PostgresStorage.open({ connectionString: location });
  const path = location.startsWith("sqlite:")
    ? location.slice("sqlite:".length).replace(/^\/\/\//, "/")
    : location;
  return new SqliteStorage({ ...sqlite, path });
}

/**
 * Opens a catalog: `openCatalog()` is ./data/catalog.sqlite; pass a file path or a
 * `postgresql://user@host/db` URL.
 */
export async function openCatalog(
  location?: CatalogLocation,
  options: CatalogOptions = {},
): Promise<Catalog> {
  return new Catalog(await openStorage(location), options);
}
