// `cerulean serve`: the queue server (manager, worker, HTTP API) with the catalog subscribed, so
// every run lands in the broker, and the broker's read API on the same port.
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as broker from "@cerulean/broker";
import { type QueueServer, type SecurityOptions, startQueueServer } from "@cerulean/queueserver";
import { CliUsageError } from "../errors.ts";

const HELP = `Usage: cerulean serve [options]

Starts the queue server: RE manager, RunEngine worker process, HTTP API under /api
(bluesky-httpserver compatible) and the catalog's read API under /api/v1.

Options:
  --host <addr>        address to bind (default 127.0.0.1; others need an API key)
  --port <n>           port (default 60610)
  --data-dir <dir>     data directory: queue.sqlite, catalog.sqlite, files/ (default ./data)
  --profile <name>     worker profile: sim, or a module exporting 'profile' (default sim)
  --api-key <key>      single-user API key (or QSERVER_HTTP_SERVER_SINGLE_USER_API_KEY)
  --allow-anonymous    callers without a key may read the status
  --open-env           open the worker environment at startup
  -h, --help           show this help`;

export interface ServeOptions {
  /** Stops the server when aborted (default: SIGINT/SIGTERM). */
  signal?: AbortSignal;
  print?: (line: string) => void;
  /** Called once the server listens. */
  onReady?: (server: QueueServer) => void;
}

/** Runs `cerulean serve` until stopped; resolves to the exit code. */
export async function runServe(args: string[], options: ServeOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "data-dir": { type: "string" },
        profile: { type: "string" },
        "api-key": { type: "string" },
        "allow-anonymous": { type: "boolean" },
        "open-env": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values["help"]) {
    print(HELP);
    return 0;
  }
  const port = values["port"] === undefined ? 60610 : Number(values["port"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(
      `--port must be a port number (0-65535); got "${String(values["port"])}"`,
    );
  }
  const dataDir = (values["data-dir"] as string | undefined) ?? "./data";
  const apiKey =
    (values["api-key"] as string | undefined) ??
    process.env["QSERVER_HTTP_SERVER_SINGLE_USER_API_KEY"];
  const security: SecurityOptions = { apiKey, allowAnonymous: values["allow-anonymous"] === true };
  const catalog = await broker.openCatalog(join(dataDir, "catalog.sqlite"));
  let server: QueueServer;
  try {
    server = await startQueueServer({
      dataDir,
      host: (values["host"] as string | undefined) ?? "127.0.0.1",
      port,
      profile: (values["profile"] as string | undefined) ?? "sim",
      security,
      openEnvironment: values["open-env"] === true,
      plugins: async (app) => {
        await app.register(broker.tiledPlugin, { prefix: "/api/v1", catalog });
      },
      onDocument: (name, doc) => {
        try {
          catalog.insert(name as never, doc as never);
        } catch (err) {
          print(
            `cerulean serve: a document was not stored in the catalog: ${(err as Error).message}`,
          );
        }
      },
    });
  } catch (err) {
    await catalog.close();
    throw err;
  }
  print(`Queue server listening on ${server.url}/api (data in ${dataDir}; catalog at /api/v1)`);
  options.onReady?.(server);
  await waitForStop(options.signal);
  await server.close();
  await catalog.close();
  return 0;
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** The `serve` entry of the command table. */
export const serveCommand = {
  summary: "run the queue server (manager, worker, HTTP API, catalog) on 127.0.0.1:60610",
  run: (args: string[]) => runServe(args),
};
