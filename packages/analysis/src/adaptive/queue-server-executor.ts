// Runs an agent against a queue server over HTTP: it registers with its limits, submits its
// proposals as queue items tagged with its name, starts the queue, waits for the items in the
// history, and reads the finished runs' documents back from the catalog (/api/v1).
import type { Agent } from "./agent.ts";
import { AgentRunError } from "./errors.ts";
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
}

type Json = Record<string, unknown>;

/**
 * Drives `agent` through the queue server at `url` until it is done.
 * @example await runAgentOnQueueServer(agent, { url: "http://127.0.0.1:60610" })
 */
export async function runAgentOnQueueServer(
  agent: Agent,
  options: QueueServerExecutorOptions,
): Promise<AgentRunSummary> {
  const client = new AgentQueueClient(options);
  const register = options.register ?? true;
  const pollMs = options.pollMs ?? 50;
  if (register) {
    await client.post("/api/agent/register", {
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
      const reply = await client.post("/api/queue/item/add", {
        item,
        ...(register ? { agent: agent.name } : {}),
      });
      const uid = (reply["item"] as Json | undefined)?.["item_uid"];
      if (typeof uid !== "string") {
        throw new AgentRunError(`the queue server accepted "${item.name}" without an item_uid`);
      }
      items.push(item);
      uids.push(uid);
      options.onItem?.(item, uid);
    }
    const status = await client.get("/api/status");
    if (status["manager_state"] === "idle") await client.post("/api/queue/start");
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

/** Opens the worker environment if it is closed and waits until the manager is idle. */
async function ensureEnvironment(client: AgentQueueClient, pollMs: number): Promise<void> {
  const status = await client.get("/api/status");
  if (status["worker_environment_exists"] !== true) {
    await client.post("/api/environment/open");
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
  client: AgentQueueClient,
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
  client: AgentQueueClient,
  agent: Agent,
  uid: string,
  pollMs: number,
): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    let docs: [string, unknown][] | null = null;
    try {
      docs = await client.runDocuments(uid);
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
