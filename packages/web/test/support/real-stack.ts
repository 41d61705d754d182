// The real service stack on 127.0.0.1 (what `cerulean serve` wires): queue server + worker with
// the sim profile, the broker's Tiled read API over a fresh SQLite catalog, the bus's document
// WebSocket, and the web UI, all on one port.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Catalog, SqliteStorage } from "@cerulean/broker";
import { attachDocumentWebSocket, type DocumentWebSocket } from "@cerulean/bus";
import type { DocumentName } from "@cerulean/event-model";
import { type QueueServer, startQueueServer } from "@cerulean/queueserver";
// The broker's index does not export its fastify plugin (yet); reach for the module itself.
import { tiledPlugin } from "../../../broker/src/http/app.ts";
import { registerWebUi } from "../../src/index.ts";

export interface RealStack {
  url: string;
  server: QueueServer;
  catalog: Catalog;
  close(): Promise<void>;
}

export async function startRealStack(): Promise<RealStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-web-"));
  const catalog = new Catalog(new SqliteStorage({ path: join(dataDir, "catalog.sqlite") }));
  let docs: DocumentWebSocket | undefined;
  const server = await startQueueServer({
    dataDir,
    port: 0,
    plugins: async (app) => {
      await app.register(tiledPlugin, { prefix: "/api/v1", catalog });
      docs = attachDocumentWebSocket(app, { heartbeatMs: 0 });
      await registerWebUi(app, { pollMs: 200 });
    },
    onDocument: (name, doc) => {
      void catalog.write(name as DocumentName, doc).catch((error: unknown) => {
        console.error("catalog write failed:", error);
      });
      docs?.publish(name as DocumentName, doc as never);
    },
  });
  return {
    url: server.url,
    server,
    catalog,
    async close() {
      await docs?.close();
      await server.close();
      await catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
