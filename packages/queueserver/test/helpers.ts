// Test helpers: a real server on a free port, a client, and status polling.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type QueueServer,
  QueueServerClient,
  type QueueServerOptions,
  startQueueServer,
} from "../src/index.ts";

export const TEST_PROFILE = fileURLToPath(new URL("./fixtures/test-profile.ts", import.meta.url));

export interface TestServer {
  server: QueueServer;
  client: QueueServerClient;
  dataDir: string;
  [Symbol.asyncDispose](): Promise<void>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "cerulean-qs-"));
}

export async function startTestServer(options: QueueServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const server = await startQueueServer({ port: 0, profile: TEST_PROFILE, ...options, dataDir });
  const client = new QueueServerClient({ url: server.url });
  return {
    server,
    client,
    dataDir,
    async [Symbol.asyncDispose]() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Status = Record<string, unknown>;

/** Polls status until `predicate` holds (fails after `timeoutMs`). */
export async function waitFor(
  client: QueueServerClient,
  predicate: (s: Status) => boolean,
  timeoutMs = 15_000,
): Promise<Status> {
  const end = Date.now() + timeoutMs;
  let last: Status = {};
  while (Date.now() < end) {
    last = await client.get("/api/status");
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`status never matched; last: ${JSON.stringify(last)}`);
}

export async function openEnvironment(client: QueueServerClient): Promise<void> {
  const reply = await client.post("/api/environment/open");
  if (reply["success"] !== true) throw new Error(String(reply["msg"]));
  // Starting a worker process (node, tsx, the profile) is the slowest step on a loaded machine.
  await waitFor(
    client,
    (s) => s["worker_environment_exists"] === true && s["manager_state"] === "idle",
    60_000,
  );
}

/** A test server (options as given) with its environment open, pushing every document to `docs`. */
export async function startWithEnvironment(
  docs: [string, Record<string, unknown>][],
  options: QueueServerOptions = {},
): Promise<TestServer> {
  const t = await startTestServer({
    ...options,
    onDocument: (name, doc) => docs.push([name, doc as Record<string, unknown>]),
  });
  await openEnvironment(t.client);
  return t;
}

export const idle = (s: Status): boolean => s["manager_state"] === "idle";

export function plan(name: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}) {
  return { item_type: "plan", name, args, kwargs };
}

export const countPlan = (num = 3, delay?: number) =>
  plan("count", [["det"]], delay === undefined ? { num } : { num, delay });
