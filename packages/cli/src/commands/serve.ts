// `cerulean serve`: the whole service on one port. The queue server (manager, worker, HTTP API
// under /api), the catalog subscribed so every run lands in the broker, the broker's Tiled read
// API under /api/v1, the bus's document WebSocket (/api/documents/ws), the web UI at "/", and a
// streaming reconstruction of tomography scans publishing its slices as a derived run.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { parseArgs } from "node:util";
import { StreamingFbpCallback } from "@cerulean/analysis";
import { type Catalog, keyPresent, openCatalog, tiledPlugin } from "@cerulean/broker";
import {
  attachDocumentWebSocket,
  type DocumentPublisher,
  type DocumentWebSocket,
  openRedisPublisher,
} from "@cerulean/bus";
import type { DocumentName } from "@cerulean/event-model";
import {
  type QueueServer,
  type QueueServerOptions,
  type QueueStorage,
  RedisQueueStorage,
  requestAllows,
  type SecurityOptions,
  startQueueServer,
} from "@cerulean/queueserver";
import { registerWebUi } from "@cerulean/web";
import { DATA_DIR_OPTIONS, dataDirOf } from "../data-dir-option.ts";
import { CliUsageError } from "../errors.ts";
import { waitForStop } from "../wait-for-stop.ts";

const HELP = `Usage: cerulean serve [options]

Starts the service on one port: RE manager, RunEngine worker process, HTTP API under /api
(bluesky-httpserver compatible), the catalog's read API under /api/v1 (Tiled compatible), the
live documents on the WebSocket /api/documents/ws and the web UI at /. Scans of a projection
detector over a rotation (the sim's tomo_det over rot) are reconstructed as they run; the
slices stream as a derived run.

Options:
  --host <addr>        address to bind (default 127.0.0.1; others need an API key)
  --port <n>           port (default 60610)
  --data-dir <dir>     (or --data) data directory: queue.sqlite, catalog.sqlite, files/ (default ./data)
  --profile <name>     worker profile: sim, or a module exporting 'profile' (default sim)
  --api-key <key>      single-user API key (or QSERVER_HTTP_SERVER_SINGLE_USER_API_KEY),
                       asked for by every API, the catalog and the live documents too;
                       the web UI asks for it once (or open /?api_key=<key>)
  --allow-anonymous    callers without a key may read the status
  --open-env           open the worker environment at startup
  --redis <url>        keep the queue state in Redis (redis://host:port) instead of
                       <data-dir>/queue.sqlite, and publish every document to the
                       beamline's Redis stream for other processes and machines
  --beamline <name>    the Redis stream's beamline name (default "cerulean")
  -h, --help           show this help`;

/** What the service stack is started with (the parsed `cerulean serve` options). */
export interface ServeStackOptions {
  /** Data directory (queue.sqlite, catalog.sqlite, files/). */
  dataDir: string;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 60610; 0 picks a free one). */
  port?: number;
  /** Worker profile (default "sim"). */
  profile?: string;
  security?: SecurityOptions;
  openEnvironment?: boolean;
  /** The web UI's status polling period in ms (default 500). */
  uiPollMs?: number;
  /** Redis URL: queue state there, and every document published to the beamline's stream. */
  redis?: string;
  /** The beamline name of the Redis stream (default "cerulean"). */
  beamline?: string;
  /** Reconstruct tomography scans as they run (default true); see startServeStack. */
  reconstruct?: boolean;
  /** Told when a document could not be stored or analysed (default: stderr). */
  onError?: (message: string) => void;
}

/** The running service: one HTTP server carrying every API and the UI. */
export interface ServeStack {
  /** http://host:port, where the web UI is. */
  url: string;
  /** The queue server's API root (`${url}/api`). */
  apiUrl: string;
  /** The broker's Tiled read API (`${url}/api/v1`). */
  catalogUrl: string;
  /** The document WebSocket (`ws://host:port/api/documents/ws`). */
  documentsUrl: string;
  server: QueueServer;
  catalog: Catalog;
  documents: DocumentWebSocket;
  /** Stops serving: documents socket, queue server (and worker), then the catalog (flushed). */
  close(): Promise<void>;
}

/**
 * Starts what `cerulean serve` runs (also used by the web UI's end-to-end tests).
 * @example const stack = await startServeStack({ dataDir: "./data", port: 0 })
 */
export async function startServeStack(options: ServeStackOptions): Promise<ServeStack> {
  const report =
    options.onError ?? ((message: string) => console.error(`cerulean serve: ${message}`));
  let server: QueueServer | undefined;
  // Said where the scientist looks too: the console output of the queue (web UI, clients).
  const onError = (message: string) => {
    report(message);
    server?.manager.log(`ERROR: ${message}`);
  };
  const catalog = await openCatalog(join(options.dataDir, "catalog.sqlite"));
  await closeOrphanedRuns(catalog, report);
  let storage: QueueStorage | undefined;
  let stream: DocumentPublisher | undefined;
  if (options.redis) {
    try {
      storage = await RedisQueueStorage.open({ url: options.redis });
      stream = await openRedisPublisher({
        redis: options.redis,
        beamline: options.beamline ?? "cerulean",
      });
    } catch (err) {
      storage?.close();
      await catalog.close();
      throw err;
    }
  }
  let documents: DocumentWebSocket | undefined;
  let closing = false;
  /**
   * Every document of every run, the queue's and derived ones: to the catalog and the socket.
   * Resolves once the catalog has committed it (which paces the queue's worker).
   */
  const route = (name: DocumentName, doc: unknown): Promise<void> => {
    if (!closing) documents?.publish(name, doc as never);
    stream?.publish(name, doc as never);
    // Each failure is reported with its own document (catalog.insert would report it late).
    return catalog.write(name, doc).catch((err: unknown) => {
      onError(`a ${name} document was not stored in the catalog: ${String(err)}`);
    });
  };
  // A scan of a projection detector over a rotation (the sim's tomo_det over rot) is
  // reconstructed as it runs; the derived run's events carry the current slice.
  const reconstruction =
    options.reconstruct === false
      ? undefined
      : new StreamingFbpCallback({ publish: (name, doc) => route(name, doc) });
  // The catalog and the live documents answer to the queue server's keys: runs are as private
  // as its history. Without security configured every request is allowed.
  const security = options.security ?? {};
  const mayRead = (request: IncomingMessage) => requestAllows(security, request, "read:history");
  try {
    server = await startQueueServer({
      dataDir: options.dataDir,
      storage,
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 60610,
      profile: options.profile ?? "sim",
      security: options.security,
      openEnvironment: options.openEnvironment === true,
      plugins: async (app) => {
        dropWebSocketsOnClose(app);
        await app.register(
          async (catalogApi) => {
            catalogApi.addHook("onRequest", async (request, reply) => {
              if (mayRead(request.raw)) return;
              await reply.code(401).send({
                detail: `Not authenticated: ${request.url.split("?")[0]} needs an API key with the scope read:history ('Authorization: ApiKey <key>' or ?api_key=)`,
              });
            });
            await catalogApi.register(tiledPlugin, { catalog });
          },
          { prefix: "/api/v1" },
        );
        documents = attachDocumentWebSocket(app, { authorize: mayRead });
        await registerWebUi(app, { pollMs: options.uiPollMs ?? 500 });
      },
      onDocument: (name, doc) => {
        const stored = route(name as DocumentName, doc);
        try {
          reconstruction?.callback(name as DocumentName, doc as never);
        } catch (err) {
          // Analysis must never disturb the runs themselves: said, and the next run goes on.
          onError(`the streaming reconstruction failed on a ${name} document: ${String(err)}`);
        }
        return stored;
      },
    });
  } catch (err) {
    await documents?.close();
    await stream?.close();
    storage?.close();
    await catalog.close();
    throw err;
  }
  const docs = documents as DocumentWebSocket; // set by plugins, which ran before listen
  const wsBase = server.url.replace(/^http/, "ws");
  return {
    url: server.url,
    apiUrl: `${server.url}/api`,
    catalogUrl: `${server.url}/api/v1`,
    documentsUrl: `${wsBase}${docs.path}`,
    server,
    catalog,
    documents: docs,
    async close() {
      if (closing) return;
      closing = true;
      // The socket first: its open connections would otherwise hold the HTTP server open.
      await docs.close();
      await server.close();
      await stream?.close();
      await catalog.close();
    },
  };
}

/**
 * Runs from the queue left without a stop: the server (and with it the worker) died during them.
 * Nothing of this data directory's queue runs before `serve` starts, so each gets its stop now,
 * `fail` with the reason, and the catalog never shows a run as still going for ever.
 */
async function closeOrphanedRuns(
  catalog: Catalog,
  report: (message: string) => void,
): Promise<void> {
  const recent = await catalog.search([keyPresent("queue_item_uid")], {
    sort: ["-start.time"],
    limit: 50,
  });
  for (const run of recent) {
    if (run.stop !== null) continue;
    await catalog.write("stop", {
      uid: randomUUID(),
      run_start: run.start.uid,
      time: Date.now() / 1000,
      exit_status: "fail",
      reason: "the server stopped during the run (recorded when it started again)",
    });
    report(
      `run ${run.start.uid} (scan_id ${String(run.start.scan_id)}) was left open by a crash; closed as failed`,
    );
  }
}

/** The fastify app of the queue server (cli does not depend on fastify itself). */
type ServeApp = Parameters<NonNullable<QueueServerOptions["plugins"]>>[0];

/**
 * Fastify closes its HTTP server before it runs onClose hooks, and node's server.close() waits
 * for every socket, upgraded ones included: an open browser tab's WebSocket (console, status)
 * would hold `close()` forever. So upgraded sockets are ended first, in preClose.
 */
function dropWebSocketsOnClose(app: ServeApp): void {
  const upgraded = new Set<Duplex>();
  app.server.on("upgrade", (_request, socket: Duplex) => {
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
  });
  app.addHook("preClose", async () => {
    for (const socket of upgraded) socket.destroy();
  });
}

export interface ServeOptions {
  /** Stops the server when aborted (default: SIGINT/SIGTERM). */
  signal?: AbortSignal;
  print?: (line: string) => void;
  /** Called once the server listens. */
  onReady?: (stack: ServeStack) => void;
}

/** Parses the command line into stack options; undefined for --help. */
function parseServeArgs(args: string[]): ServeStackOptions | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        ...DATA_DIR_OPTIONS,
        profile: { type: "string" },
        "api-key": { type: "string" },
        "allow-anonymous": { type: "boolean" },
        "open-env": { type: "boolean" },
        redis: { type: "string" },
        beamline: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values["help"]) return undefined;
  const port = values["port"] === undefined ? 60610 : Number(values["port"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(
      `--port must be a port number (0-65535); got "${String(values["port"])}"`,
    );
  }
  const apiKey =
    (values["api-key"] as string | undefined) ??
    process.env["QSERVER_HTTP_SERVER_SINGLE_USER_API_KEY"];
  return {
    dataDir: dataDirOf(values) ?? "./data",
    host: (values["host"] as string | undefined) ?? "127.0.0.1",
    port,
    profile: (values["profile"] as string | undefined) ?? "sim",
    security: { apiKey, allowAnonymous: values["allow-anonymous"] === true },
    openEnvironment: values["open-env"] === true,
    redis: values["redis"] as string | undefined,
    beamline: values["beamline"] as string | undefined,
  };
}

/** Runs `cerulean serve` until stopped; resolves to the exit code. */
export async function runServe(args: string[], options: ServeOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const parsed = parseServeArgs(args);
  if (!parsed) {
    print(HELP);
    return 0;
  }
  const stack = await startServeStack({
    ...parsed,
    onError: (message) => print(`cerulean serve: ${message}`),
  });
  const keyNote = parsed.security?.apiKey ? "?api_key=<your key>" : "";
  print(`Cerulean is serving (data in ${parsed.dataDir}):`);
  print(`  web UI           ${stack.url}/${keyNote}`);
  print(`  queue API        ${stack.apiUrl}  (bluesky-httpserver routes)`);
  print(`  catalog API      ${stack.catalogUrl}  (Tiled read API)`);
  print(`  live documents   ${stack.documentsUrl}`);
  print("Press Ctrl-C to stop.");
  options.onReady?.(stack);
  // Ctrl-C, the caller's signal, or the manager_stop API.
  await Promise.race([waitForStop(options.signal), stack.server.closed]);
  await stack.close();
  return 0;
}

/** The `serve` entry of the command table. */
export const serveCommand = {
  summary: "run the service (queue server, worker, catalog, web UI) on 127.0.0.1:60610",
  run: (args: string[]) => runServe(args),
};
