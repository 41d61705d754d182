// Runs an agent against a queue server over HTTP: it registers with its limits, submits its
// proposals as queue items tagged with its name, starts the queue, waits for the items in the
// history, and reads the finished runs' documents back from the catalog (/api/v1).

import { randomUUID } from "node:crypto";
import type { Agent } from "./agent.ts";
import { AgentRunError, QueueServerRequestError } from "./errors.ts";
import type { AgentRunSummary } from "./in-process-executor.ts";
import type { QueueItem } from "./queue-item.ts";
import { AgentQueueClient, type AgentQueueClientOptions } from "./queue-server-client.ts";

/** Options of runAgentOnQueueServer. */
export interface QueueServerExecutorOptions extends AgentQueueClientOptions {
  /**
   * Register the agent (`/api/agent/register`) and tag items with `agent` (default true); false
   * submits plain items, for servers without the agent API.
   */
  register?: boolean;
  /** Ask that each item wait for a human's approval in the queue (default false). */
  requireApproval?: boolean;
  /** Status poll period (default 50 ms). */
  pollMs?: number;
  /** Longest wait for one batch of items, approval included (default 10 min). */
  batchTimeoutMs?: number;
  /** Called with each item after the server accepted it (with its item_uid). */
  onItem?: (item: QueueItem, uid: string) => void;
  /**
   * Most attempts of one request that failed transiently (no reply, HTTP 5xx or 429) before the
   * campaign gives up (default 6). Reads are repeated; a lost item/add is looked up first.
   */
  retryAttempts?: number;
  /** Wait before the first retry, doubled after each (default 250 ms, at most 5 s apart). */
  retryDelayMs?: number;
  /** Longest time spent retrying one request (default 60 s). */
  retryTotalMs?: number;
}

type Json = Record<string, unknown>;

/** The key, in the item's `md`, that identifies one submission so a lost reply can be found. */
export const SUBMISSION_TAG = "agent_submission";

/** Calls the queue server, retrying transient failures with exponential backoff. */
class RetryingClient {
  readonly client: AgentQueueClient;
  readonly #attempts: number;
  readonly #delayMs: number;
  readonly #totalMs: number;

  constructor(options: QueueServerExecutorOptions) {
    this.client = new AgentQueueClient(options);
    this.#attempts = Math.max(1, options.retryAttempts ?? 6);
    this.#delayMs = options.retryDelayMs ?? 250;
    this.#totalMs = options.retryTotalMs ?? 60_000;
  }

  /** GET, repeated while it fails transiently. */
  get(path: string): Promise<Json> {
    return this.retry(() => this.client.get(path));
  }

  /** Runs `request`; on a transient failure calls `recover` (if given; a non-null result ends) and retries. */
  async retry<T>(request: () => Promise<T>, recover?: () => Promise<T | null>): Promise<T> {
    const end = Date.now() + this.#totalMs;
    let delay = this.#delayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (err) {
        const transient = err instanceof QueueServerRequestError && err.transient;
        if (!transient || attempt >= this.#attempts || Date.now() + delay > end) throw err;
      }
      await sleep(delay);
      delay = Math.min(2 * delay, 5000);
      if (recover) {
        const found = await recover();
        if (found !== null) return found;
      }
    }
  }
}

/**
 * Drives `agent` through the queue server at `url` until it is done.
 * @example await runAgentOnQueueServer(agent, { url: "http://127.0.0.1:60610" })
 */
export async function runAgentOnQueueServer(
  agent: Agent,
  options: QueueServerExecutorOptions,
): Promise<AgentRunSummary> {
  const client = new RetryingClient(options);
  const register = options.register ?? true;
  const pollMs = options.pollMs ?? 50;
  if (register) {
    await client.client.post("/api/agent/register", {
      name: agent.name,
      limits: agent.limits,
      require_approval: options.requireApproval ?? false,
    });
  }
  await ensureEnvironment(client, pollMs);
  const items: QueueItem[] = [];
  for (;;) {
    const proposals = agent.propose();
    if (proposals.length === 0) break;
    const uids: string[] = [];
    for (const item of proposals) {
      const uid = await submit(client, item, register ? agent.name : null);
      items.push(item);
      uids.push(uid);
      options.onItem?.(item, uid);
    }
    const status = await client.get("/api/status");
    if (status["manager_state"] === "idle") {
      // A start whose reply was lost may have started the queue: look before starting again.
      await client.retry(
        () => client.client.post("/api/queue/start"),
        async () => ((await client.get("/api/status"))["manager_state"] === "idle" ? null : {}),
      );
    }
    const finished = await waitForHistory(client, uids, {
      pollMs,
      timeoutMs: options.batchTimeoutMs ?? 600_000,
    });
    for (const entry of finished) {
      const result = (entry["result"] ?? {}) as Json;
      if (result["exit_status"] !== "completed") {
        const requeued =
          result["exit_status"] === "denied"
            ? ""
            : " (the server puts a failed item back at the front of the queue and stops the queue)";
        throw new AgentRunError(
          `agent "${agent.name}": item ${String(entry["item_uid"])} ("${String(entry["name"])}") ended "${String(result["exit_status"])}": ${String(result["msg"] ?? "")}${requeued}`,
        );
      }
      const runUids = Array.isArray(result["run_uids"]) ? (result["run_uids"] as unknown[]) : [];
      for (const runUid of runUids) await feedRun(client, agent, String(runUid), pollMs);
    }
  }
  return { items, report: agent.report() };
}

/**
 * Adds `item` to the queue, tagged in its `md` with a fresh submission id; when the reply is lost
 * the queue and history are searched for the tag before submitting again, so no item runs twice.
 */
async function submit(
  client: RetryingClient,
  item: QueueItem,
  agent: string | null,
): Promise<string> {
  const tag = randomUUID();
  const md = { ...((item.kwargs["md"] as Json | undefined) ?? {}), [SUBMISSION_TAG]: tag };
  const tagged: QueueItem = { ...item, kwargs: { ...item.kwargs, md } };
  const body = { item: tagged, ...(agent === null ? {} : { agent }) };
  const uid = await client.retry(
    async () => {
      const reply = await client.client.post("/api/queue/item/add", body);
      return (reply["item"] as Json | undefined)?.["item_uid"];
    },
    () => findSubmission(client, tag),
  );
  if (typeof uid !== "string") {
    throw new AgentRunError(`the queue server accepted "${item.name}" without an item_uid`);
  }
  return uid;
}

/** The item_uid of the queued, running or finished item carrying submission `tag`, or null. */
async function findSubmission(client: RetryingClient, tag: string): Promise<string | null> {
  const queue = await client.get("/api/queue/get");
  const history = await client.get("/api/history/get");
  const entries = [
    ...((queue["items"] ?? []) as Json[]),
    queue["running_item"] as Json | undefined,
    ...((history["items"] ?? []) as Json[]),
  ];
  for (const entry of entries) {
    const md = ((entry?.["kwargs"] as Json | undefined)?.["md"] ?? {}) as Json;
    const uid = entry?.["item_uid"];
    if (md[SUBMISSION_TAG] === tag && typeof uid === "string") return uid;
  }
  return null;
}

/** Opens the worker environment if it is closed and waits until the manager is idle. */
async function ensureEnvironment(client: RetryingClient, pollMs: number): Promise<void> {
  const status = await client.get("/api/status");
  if (status["worker_environment_exists"] !== true) {
    await client.client.post("/api/environment/open");
    const end = Date.now() + 60_000;
    for (;;) {
      const s = await client.get("/api/status");
      if (s["worker_environment_exists"] === true && s["manager_state"] === "idle") return;
      if (Date.now() > end) {
        throw new AgentRunError(
          `the queue server's worker environment did not open within 60 s (manager_state ${String(s["manager_state"])})`,
        );
      }
      await sleep(pollMs);
    }
  }
}

/** Waits until every uid is in the history; fails when one left the queue without running. */
async function waitForHistory(
  client: RetryingClient,
  uids: readonly string[],
  { pollMs, timeoutMs }: { pollMs: number; timeoutMs: number },
): Promise<Json[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    // Status, queue, then history: an item that leaves the queue is in the history read after,
    // and an idle manager read before the queue cannot have taken an item out since.
    const status = await client.get("/api/status");
    const queue = await client.get("/api/queue/get");
    const history = await client.get("/api/history/get");
    const done = new Map<string, Json>();
    for (const entry of (history["items"] ?? []) as Json[]) {
      const uid = entry["item_uid"];
      if (typeof uid === "string" && uids.includes(uid)) done.set(uid, entry);
    }
    if (done.size === uids.length) return uids.map((u) => done.get(u) as Json);
    const waiting = new Set<string>();
    for (const entry of [...((queue["items"] ?? []) as Json[]), queue["running_item"] as Json]) {
      const uid = entry?.["item_uid"];
      if (typeof uid === "string") waiting.add(uid);
    }
    const lost = uids.find((u) => !done.has(u) && !waiting.has(u));
    if (lost !== undefined) {
      throw new AgentRunError(
        `queue item ${lost} left the queue without running (denied or removed)`,
      );
    }
    const runningUid = (queue["running_item"] as Json | undefined)?.["item_uid"];
    const stranded = uids.find((u) => !done.has(u) && u !== runningUid);
    if (status["manager_state"] === "idle" && stranded !== undefined) {
      // Someone stopped the queue, or an earlier item failed (the server then puts a copy of it
      // back at the front and stops): the agent does not restart a queue a human stopped.
      throw new AgentRunError(
        `the queue stopped with the agent's item ${stranded} still queued (${String(status["msg"] ?? "")}); start the queue or remove the item, then rerun the agent`,
      );
    }
    if (Date.now() > end) {
      throw new AgentRunError(
        `the agent's items ${JSON.stringify(uids)} did not finish within ${timeoutMs / 1000} s`,
      );
    }
    await sleep(pollMs);
  }
}

/** Reads a run's documents from the catalog (retrying until its stop is stored) into the agent. */
async function feedRun(
  client: RetryingClient,
  agent: Agent,
  uid: string,
  pollMs: number,
): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    let docs: [string, unknown][] | null = null;
    try {
      docs = await client.client.runDocuments(uid);
    } catch (err) {
      if (Date.now() > end) throw err;
    }
    if (docs?.some(([name]) => name === "stop")) {
      for (const [name, doc] of docs) agent.ingest(name, doc);
      return;
    }
    if (Date.now() > end) {
      throw new AgentRunError(`run ${uid} has no stop document in the catalog after 10 s`);
    }
    await sleep(pollMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
