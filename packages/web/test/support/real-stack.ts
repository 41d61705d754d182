// The real service stack on 127.0.0.1, exactly as `cerulean serve` wires it (queue server +
// worker with the sim profile, the broker's Tiled read API over a fresh SQLite catalog, the
// bus's document WebSocket and the web UI, one port), over a temporary data directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Catalog } from "@cerulean/broker";
import type { DocumentWebSocket } from "@cerulean/bus";
import type { QueueServer, SecurityOptions } from "@cerulean/queueserver";
// The cli depends on this package, not the other way round; only the tests reach up to it, so
// that there is one way to wire the stack and the UI is tested against what users run.
import { startServeStack } from "../../../cli/src/commands/serve.ts";

export interface RealStack {
  url: string;
  server: QueueServer;
  catalog: Catalog;
  documents: DocumentWebSocket;
  close(): Promise<void>;
}

export interface RealStackOptions {
  /** Reuse this data directory (kept at close) instead of a fresh temporary one. */
  dataDir?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Profile (default "sim"). */
  profile?: string;
  /** API keys, users and anonymous access, as `cerulean serve --api-key` sets them. */
  security?: SecurityOptions;
}

export async function startRealStack(options: RealStackOptions = {}): Promise<RealStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "cerulean-web-"));
  const stack = await startServeStack({
    dataDir,
    port: options.port ?? 0,
    profile: options.profile,
    security: options.security,
    uiPollMs: 200,
  });
  return {
    url: stack.url,
    server: stack.server,
    catalog: stack.catalog,
    documents: stack.documents,
    async close() {
      await stack.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
