import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { composeRun, type DataKey } from "@cerulean/event-model";
import {
  PeakAlignmentAgent,
  type QueueItem,
  QueueServerRequestError,
  runAgentOnQueueServer,
} from "../../src/index.ts";

type Json = Record<string, unknown>;

/** Faults the fake server injects, each once, into the request count named. */
interface Faults {
  /** Answer the nth GET /api/status with 503. */
  statusUnavailableAt?: number;
  /** Accept the nth item/add, then reset the connection before replying. */
  resetAddAt?: number;
  /** Answer every GET /api/status with 503. */
  statusAlwaysUnavailable?: boolean;
}

/**
 * A queue server stand-in: items added go to the queue; /api/queue/start "runs" them at once
 * (a scan of a Gaussian) into the history, and the catalog replays their documents.
 */
function fakeQueueServer(faults: Faults) {
  const queue: Json[] = [];
  const history: Json[] = [];
  const runs = new Map<string, [string, unknown][]>();
  const counts = { status: 0, add: 0 };
  const key: DataKey = { dtype: "number", shape: [], source: "sim" };
  const runItem = (item: Json) => {
    const [, , start, stop, num] = item["args"] as [unknown, string, number, number, number];
    const x = Array.from({ length: num }, (_, i) => start + ((stop - start) * i) / (num - 1));
    const det = x.map((v) => Math.exp(-((v - 0.5) ** 2) / 2));
    const run = composeRun({ metadata: { plan_name: "scan" } });
    const primary = run.composeDescriptor({ name: "primary", data_keys: { motor: key, det: key } });
    const time = x.map(() => 0);
    runs.set(run.startDoc.uid, [
      ["start", run.startDoc],
      ["descriptor", primary.descriptorDoc],
      [
        "event_page",
        primary.composeEventPage({
          data: { motor: x, det },
          timestamps: { motor: time, det: time },
          time,
        }),
      ],
      ["stop", run.composeStop({ exit_status: "success" })],
    ]);
    history.push({ ...item, result: { exit_status: "completed", run_uids: [run.startDoc.uid] } });
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const send = (code: number, reply: unknown) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(reply));
      };
      const url = req.url ?? "";
      if (url === "/api/status") {
        counts.status += 1;
        if (faults.statusAlwaysUnavailable || counts.status === faults.statusUnavailableAt) {
          send(503, { detail: "restarting" });
          return;
        }
        send(200, { worker_environment_exists: true, manager_state: "idle" });
      } else if (url === "/api/agent/register") {
        send(200, { success: true });
      } else if (url === "/api/queue/item/add") {
        counts.add += 1;
        const item = {
          ...((JSON.parse(body) as Json)["item"] as Json),
          item_uid: `item-${counts.add}`,
        };
        queue.push(item);
        if (counts.add === faults.resetAddAt) {
          req.socket.destroy();
          return;
        }
        send(200, { success: true, item });
      } else if (url === "/api/queue/start") {
        for (const item of queue.splice(0)) runItem(item);
        send(200, { success: true });
      } else if (url === "/api/queue/get") {
        send(200, { items: queue, running_item: {} });
      } else if (url === "/api/history/get") {
        send(200, { items: history });
      } else if (url.startsWith("/api/v1/documents/")) {
        const docs = runs.get(decodeURIComponent(url.slice("/api/v1/documents/".length)));
        res.writeHead(docs ? 200 : 404, { "content-type": "application/json-seq" });
        res.end((docs ?? []).map(([name, doc]) => JSON.stringify({ name, doc })).join("\n"));
      } else {
        send(404, { detail: `no route ${url}` });
      }
    });
  });
  return { server, queue, history, counts };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const oneRunAgent = () =>
  new PeakAlignmentAgent({
    detector: "det",
    motor: "motor",
    bounds: [-3, 3],
    tolerance: 0.01,
    maxRuns: 1,
  });

describe("runAgentOnQueueServer over a flaky connection", () => {
  const servers: http.Server[] = [];
  const start = async (faults: Faults) => {
    const fake = fakeQueueServer(faults);
    servers.push(fake.server);
    return { ...fake, url: await listen(fake.server) };
  };
  after(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  test("a 503 on GET /api/status while waiting is retried, and the campaign completes", async () => {
    // Status reads: environment check, before starting the queue, then the wait (the 503).
    const fake = await start({ statusUnavailableAt: 3 });
    const agent = oneRunAgent();
    const out = await runAgentOnQueueServer(agent, {
      url: fake.url,
      pollMs: 5,
      retryDelayMs: 5,
    });
    assert.equal(out.items.length, 1);
    assert.ok(fake.counts.status >= 4);
    assert.equal(agent.x.length, 15);
    assert.equal(out.report["runs"], 1);
  });

  test("an item/add whose reply is lost is found in the queue by its tag, not submitted twice", async () => {
    const fake = await start({ resetAddAt: 1 });
    const agent = oneRunAgent();
    const uids: string[] = [];
    const submitted: QueueItem[] = [];
    const out = await runAgentOnQueueServer(agent, {
      url: fake.url,
      pollMs: 5,
      retryDelayMs: 5,
      onItem: (item, uid) => {
        submitted.push(item);
        uids.push(uid);
      },
    });
    assert.equal(fake.counts.add, 1);
    assert.deepEqual(uids, ["item-1"]);
    assert.equal(fake.history.length, 1);
    const md = ((fake.history[0]?.["kwargs"] ?? {}) as Json)["md"] as Json;
    assert.equal(typeof md["agent_submission"], "string");
    assert.equal(out.items.length, 1);
    assert.equal(agent.x.length, 15);
  });

  test("gives up after retryAttempts with the server's error", async () => {
    const fake = await start({ statusAlwaysUnavailable: true });
    await assert.rejects(
      runAgentOnQueueServer(oneRunAgent(), {
        url: fake.url,
        pollMs: 5,
        retryDelayMs: 1,
        retryAttempts: 3,
      }),
      (e: Error) => e instanceof QueueServerRequestError && /HTTP 503/.test(e.message),
    );
    assert.equal(fake.counts.status, 3);
  });
});
