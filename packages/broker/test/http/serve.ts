// A disposable catalog + Tiled-protocol server on 127.0.0.1, for the HTTP tests.
import type { NamedDocument } from "@cerulean/event-model";
import { createTiledApp, type TiledApiOptions } from "../../src/http/app.ts";
import { Catalog, SqliteStorage } from "../../src/index.ts";
import { writeAll } from "../fixtures/runs.ts";

export interface TestServer {
  catalog: Catalog;
  /** http://127.0.0.1:<port>/api/v1 */
  api: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  json<T = Record<string, unknown>>(path: string): Promise<T>;
  close(): Promise<void>;
}

/** Starts a server over an in-memory catalog holding `runs`. */
export async function serve(
  runs: readonly NamedDocument[][],
  options: Omit<TiledApiOptions, "catalog"> = {},
): Promise<TestServer> {
  const catalog = new Catalog(new SqliteStorage({ path: ":memory:" }));
  for (const docs of runs) await writeAll(catalog, docs);
  const app = await createTiledApp({ ...options, catalog });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const api = `${address}/api/v1`;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${api}${path}`, { headers });
  return {
    catalog,
    api,
    get,
    async json<T>(path: string) {
      const response = await get(path);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async close() {
      await app.close();
      await catalog.close();
    },
  };
}
