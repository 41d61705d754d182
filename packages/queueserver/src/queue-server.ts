// Starts a whole queue server: storage, manager, HTTP API; the pieces `cerulean serve` wires.

import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { SecurityOptions } from "./http/auth.ts";
import { checkBinding, createHttpApp } from "./http/server.ts";
import { REManager } from "./manager/re-manager.ts";
import { describeDevices, describePlans, type ExistingLists } from "./profiles/describe.ts";
import { loadProfile } from "./profiles/load-profile.ts";
import { SqliteQueueStorage } from "./queue/sqlite/sqlite-queue-storage.ts";
import type { QueueStorage } from "./queue/storage.ts";

export interface QueueServerOptions {
  /** Data directory (default ./data); the queue lives in <dataDir>/queue.sqlite. */
  dataDir?: string;
  /** Storage (default SQLite in the data directory). */
  storage?: QueueStorage;
  /** "sim" (default) or the path of a module exporting `profile`. */
  profile?: string;
  host?: string;
  /** Default 60610; 0 picks a free port. */
  port?: number;
  security?: SecurityOptions;
  bodyLimit?: number;
  emergencyLockKey?: string;
  /** Open the worker environment at startup. */
  openEnvironment?: boolean;
  /** Mounts more routes (e.g. the broker's read API) before the server listens. */
  plugins?: (app: FastifyInstance) => Promise<void> | void;
  /**
   * Receives every document of every run (e.g. a catalog's write). A returned promise (the
   * commit) paces the worker: past its high-water mark the plan waits for such promises.
   */
  onDocument?: (name: string, doc: unknown) => void;
}

export interface QueueServer {
  manager: REManager;
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  port: number;
  /** Stops the HTTP API and the manager (idempotent). */
  close(): Promise<void>;
  /** Resolves once the server has closed (by close() or the manager_stop API). */
  closed: Promise<void>;
}

/** Describes a profile in this process, for validation before the first environment opens. */
async function describeProfile(spec: string, dataDir: string): Promise<ExistingLists> {
  const env = await (await loadProfile(spec)).open({ dataDir });
  try {
    return { plans: describePlans(env.plans), devices: describeDevices(env.devices) };
  } finally {
    await env.close?.();
  }
}

/** Starts the manager and the HTTP API. */
export async function startQueueServer(options: QueueServerOptions = {}): Promise<QueueServer> {
  const dataDir = options.dataDir ?? "./data";
  const host = options.host ?? "127.0.0.1";
  checkBinding(host, options.security);
  const profile = options.profile ?? "sim";
  // Taken first: a second server on this data directory stops here, before touching anything.
  const storage: QueueStorage =
    options.storage ?? new SqliteQueueStorage(join(dataDir, "queue.sqlite"));
  try {
    return await startOn(storage, options, dataDir, host, profile);
  } catch (err) {
    // Ours to release (a caller's storage is the caller's): a retry must find the lock free.
    if (!options.storage) storage.close();
    throw err;
  }
}

async function startOn(
  storage: QueueStorage,
  options: QueueServerOptions,
  dataDir: string,
  host: string,
  profile: string,
): Promise<QueueServer> {
  const initialLists =
    storage.getRecord<ExistingLists>("existing_lists") ?? (await describeProfile(profile, dataDir));
  const manager = new REManager({
    storage,
    profile,
    dataDir,
    initialLists,
    emergencyLockKey:
      options.emergencyLockKey ?? process.env["QSERVER_EMERGENCY_LOCK_KEY_FOR_SERVER"],
  });
  if (options.onDocument) manager.on("document", options.onDocument);
  const app = createHttpApp({ manager, security: options.security, bodyLimit: options.bodyLimit });
  if (storage.flush) {
    // A store that commits asynchronously (Redis) has every change acknowledged before the reply
    // that reports it goes out; a write it lost turns the reply into an error.
    const flush = storage.flush.bind(storage);
    app.addHook("onSend", async () => {
      await flush();
    });
  }
  await options.plugins?.(app);
  await app.listen({ host, port: options.port ?? 60610 });
  const port = (app.server.address() as AddressInfo).port;
  if (options.openEnvironment) manager.environmentOpen();
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await app.close();
      await manager.close();
    })();
    return closing;
  };
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const closeAndMark = () => close().finally(markClosed);
  manager.once("manager_stop", () => void closeAndMark());
  return {
    manager,
    app,
    url: `http://${urlHost}:${port}`,
    port,
    close: closeAndMark,
    closed,
  };
}
