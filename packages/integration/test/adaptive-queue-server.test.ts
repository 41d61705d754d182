// Issue 15, agents through the queue server: the real server (manager, worker child process,
// catalog at /api/v1 as `cerulean serve` mounts it) on a free port; the alignment agent runs in
// this process over HTTP, the Bayesian agent as its own process (agent-process.ts).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  AgentRunError,
  PeakAlignmentAgent,
  planItem,
  runAgentOnQueueServer,
} from "@cerulean/analysis";
import { type Catalog, openCatalog, tiledPlugin } from "@cerulean/broker";
import { type QueueServer, startQueueServer } from "@cerulean/queueserver";
import { DET4_CENTER, NOISY_DET_CENTER } from "./adaptive-profile.ts";

const PROFILE = fileURLToPath(new URL("./adaptive-profile.ts", import.meta.url));
const AGENT_PROCESS = fileURLToPath(
  new URL("../../analysis/src/adaptive/agent-process.ts", import.meta.url),
);

let dataDir: string;
let catalog: Catalog;
let server: QueueServer;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "cerulean-adaptive-qs-"));
  catalog = await openCatalog(join(dataDir, "catalog.sqlite"));
  server = await startQueueServer({
    port: 0,
    dataDir,
    profile: PROFILE,
    plugins: async (app) => {
      await app.register(tiledPlugin, { prefix: "/api/v1", catalog });
    },
    onDocument: (name, doc) => catalog.insert(name as never, doc as never),
  });
});

after(async () => {
  await server.close();
  await catalog.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const reply = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await reply.json()) as Record<string, unknown>;
}

/** A "human" polling the queue and approving or denying every item awaiting approval. */
function approver(verdict: "approve" | "deny") {
  const decided: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const queue = (await (await fetch(`${server.url}/api/queue/get`)).json()) as {
        items: { item_uid: string; approval?: string }[];
      };
      for (const item of queue.items.filter((i) => i.approval === "pending")) {
        const reply = await post(`/api/queue/item/${verdict}`, {
          uid: item.item_uid,
          user: "beamline scientist",
        });
        if (reply["success"] === true) decided.push(item.item_uid);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    decided,
    stop: () => {
      running = false;
      return loop;
    },
  };
}

const AGENT_PROCESS_TIMEOUT_MS = 300_000;

/** Runs agent-process.ts and returns its last stdout line as JSON. */
function runAgentProcess(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", AGENT_PROCESS, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    // A hung agent must fail the test, and not outlive it.
    const timer = setTimeout(() => child.kill("SIGKILL"), AGENT_PROCESS_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL")
        return reject(
          new Error(`agent-process did not finish in ${AGENT_PROCESS_TIMEOUT_MS} ms: ${out}${err}`),
        );
      if (code !== 0) return reject(new Error(`agent-process exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as Record<string, unknown>);
    });
  });
}

describe("adaptive agents through the queue server", () => {
  test("the alignment agent finds noisy_det's centre over HTTP", async () => {
    const tolerance = 0.02;
    const agent = new PeakAlignmentAgent({
      detector: "noisy_det",
      motor: "motor",
      bounds: [-5, 5],
      tolerance,
      finePoints: 15,
      fineSigmas: 2,
      maxRuns: 10,
    });
    const { items, report } = await runAgentOnQueueServer(agent, {
      url: server.url,
      pollMs: 20,
    });
    const estimate = agent.estimate;
    assert.ok(estimate?.converged, JSON.stringify(report));
    assert.ok(
      Math.abs(estimate.center - NOISY_DET_CENTER) < 3 * tolerance,
      `centre ${estimate.center}`,
    );
    assert.ok(estimate.totalPoints < (10 / tolerance + 1) / 5);
    assert.equal(agent.runsSeen, items.length);
    const history = (await (await fetch(`${server.url}/api/history/get`)).json()) as {
      items: { name: string; agent?: string; result: { exit_status: string } }[];
    };
    const scans = history.items.filter((i) => i.agent === "peak-alignment");
    assert.equal(scans.length, items.length);
    assert.ok(scans.every((i) => i.name === "scan" && i.result.exit_status === "completed"));
    const agents = (await (await fetch(`${server.url}/api/agent/list`)).json()) as {
      agents: { name: string; limits: unknown; runs_done: number }[];
    };
    const record = agents.agents.find((a) => a.name === "peak-alignment");
    assert.deepEqual(record?.limits, { plans: ["scan"], motors: { motor: [-5, 5] }, max_runs: 10 });
    assert.equal(record?.runs_done, items.length);
  });

  test("items that require approval wait for a human, who approves them", async () => {
    const human = approver("approve");
    const agent = new PeakAlignmentAgent({
      name: "approved-agent",
      detector: "det",
      motor: "motor",
      bounds: [-3, 3],
      tolerance: 0.05,
    });
    try {
      const { items } = await runAgentOnQueueServer(agent, {
        url: server.url,
        requireApproval: true,
        pollMs: 20,
      });
      assert.ok(items.length >= 1);
      assert.equal(human.decided.length, items.length);
      assert.ok(agent.estimate?.converged);
      assert.ok(Math.abs(agent.estimate.center) < 0.05);
    } finally {
      await human.stop();
    }
  });

  test("a denied item stops the agent with an error naming it", async () => {
    const human = approver("deny");
    const agent = new PeakAlignmentAgent({
      name: "denied-agent",
      detector: "det",
      motor: "motor",
      bounds: [-3, 3],
      tolerance: 0.05,
    });
    try {
      await assert.rejects(
        runAgentOnQueueServer(agent, { url: server.url, requireApproval: true, pollMs: 20 }),
        (e: Error) => e instanceof AgentRunError && /ended "denied"/.test(e.message),
      );
      assert.equal(human.decided.length, 1);
      assert.equal(agent.runsSeen, 0);
    } finally {
      await human.stop();
    }
  });

  test("the server refuses to move a motor outside the agent's declared range", async () => {
    const agent = new PeakAlignmentAgent({
      name: "reckless-agent",
      detector: "det",
      motor: "motor",
      bounds: [-1, 1],
      tolerance: 0.05,
    });
    agent.propose = () => [planItem("scan", [["det"], "motor", -1, 4, 5])];
    await assert.rejects(
      runAgentOnQueueServer(agent, { url: server.url, pollMs: 20 }),
      (e: Error) =>
        e instanceof AgentRunError && /'motor' to 1\.5: allowed range is \[-1, 1\]/.test(e.message),
    );
    // The server put the failed item back at the front of the queue: the agent left it there.
    const queue = (await (await fetch(`${server.url}/api/queue/get`)).json()) as {
      items: { agent?: string }[];
    };
    assert.equal(queue.items[0]?.agent, "reckless-agent");
    // The next agent's item waits behind it; starting the queue reruns the failed item, which
    // fails again and stops the queue: the agent reports its stranded item and does not restart.
    const patient = new PeakAlignmentAgent({
      name: "patient-agent",
      detector: "det",
      motor: "motor",
      bounds: [-3, 3],
      tolerance: 0.05,
    });
    await assert.rejects(
      runAgentOnQueueServer(patient, { url: server.url, pollMs: 20 }),
      (e: Error) =>
        e instanceof AgentRunError && /the queue stopped with the agent's item/.test(e.message),
    );
    assert.equal(patient.runsSeen, 0);
    await post("/api/queue/clear");
  });

  test("the Bayesian agent, as its own process, finds det4's maximum", async () => {
    const maxRuns = 25;
    const config = {
      detector: "det4",
      motors: [
        { name: "motor1", bounds: [-3, 3] },
        { name: "motor2", bounds: [-3, 3] },
      ],
      maxRuns,
    };
    const out = await runAgentProcess([
      "--url",
      server.url,
      "--agent",
      "bayes",
      "--config",
      JSON.stringify(config),
    ]);
    const report = out["report"] as { best: { position: number[]; value: number }; runs: number };
    const [x = Number.NaN, y = Number.NaN] = report.best.position;
    assert.ok(Math.hypot(x - DET4_CENTER[0], y - DET4_CENTER[1]) < 0.1, JSON.stringify(out));
    assert.ok(report.runs <= maxRuns && report.runs === out["items"]);
  });

  test("an unknown agent kind makes the process fail with the name", async () => {
    await assert.rejects(
      runAgentProcess(["--url", server.url, "--agent", "oracle"]),
      /unknown agent kind "oracle"; expected one of peak, bayes/,
    );
  });
});
