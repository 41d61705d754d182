// The worker process: opens the profile's environment, runs plans on a RunEngine and reports
// to the manager over IPC. Started by WorkerProcess with child_process.fork.
import { join } from "node:path";
import {
  describeCause,
  type PersistentMetadata,
  persistentMetadata,
  RunEngine,
  RunEngineInterrupted,
  type RunEngineResult,
} from "@cerulean/engine";
import { documentRows, type NamedDocument } from "@cerulean/event-model";
import type { MotorLimits } from "../manager/agents.ts";
import { mergeMeta } from "../manager/validation.ts";
import { describeDevices, describePlans, type ExistingLists } from "../profiles/describe.ts";
import { loadProfile } from "../profiles/load-profile.ts";
import type { Environment } from "../profiles/profile.ts";
import type { QueueItem } from "../types.ts";
import { dryRunItem } from "./dry-run.ts";
import { enforceMotorLimits } from "./motor-limits.ts";
import {
  type DocumentAck,
  type PlanReport,
  WORKER_ENV,
  type WorkerCall,
  type WorkerMessage,
} from "./protocol.ts";
import { resolveArguments } from "./resolve-args.ts";

function send(message: WorkerMessage): void {
  if (!process.send) return;
  try {
    process.send(message);
  } catch {
    // A document that structured clone refuses goes as its JSON form.
    process.send(JSON.parse(JSON.stringify(message)) as WorkerMessage);
  }
}

let env: Environment;
let lists: ExistingLists;
let RE: RunEngine;
let environmentState = "initializing";
/** What the current plan was asked to end with (stop/abort/halt), to name its outcome. */
let ending: "stopped" | "aborted" | "halted" | null = null;
/** Why the manager ended the plan on its own (an agent's time limit), for the report. */
let endingReason: string | undefined;
let runUids: string[] = [];
let scanIds: number[] = [];
let busy = false;

/**
 * Flow control: past `highWaterRows` rows sent, a document asks the manager to confirm it, and
 * the plan waits (the engine awaits the returned promise) until the manager has handled every
 * document so far, the catalog's commits included. A manager slower than the plan slows the
 * plan instead of piling documents up in the IPC channel and in memory.
 */
const highWaterRows = Number(process.env[WORKER_ENV.documentHighWater]) || 50_000;
let rowsUnconfirmed = 0;
let lastAck = 0;
const ackWaiters = new Map<number, () => void>();

function sendDocument(...named: NamedDocument): Promise<void> | undefined {
  const [name, doc] = named;
  rowsUnconfirmed += documentRows(...named);
  if (rowsUnconfirmed < highWaterRows) {
    send({ type: "document", name, doc });
    return undefined;
  }
  rowsUnconfirmed = 0;
  const ack = ++lastAck;
  send({ type: "document", name, doc, ack });
  return new Promise((resolve) => ackWaiters.set(ack, resolve));
}

function sendState(): void {
  send({ type: "state", re_state: RE.state, environment_state: environmentState });
}

function setEnvironmentState(state: string): void {
  environmentState = state;
  sendState();
}

function report(state: PlanReport["plan_state"], err?: unknown): void {
  const message = err === undefined ? "" : describeCause(err);
  // A paused plan leaves the environment idle (as upstream); it stays busy until it ends.
  if (state !== "paused") busy = false;
  setEnvironmentState("idle");
  const text = state === "failed" ? `Plan failed: ${message}` : `Plan ${state}.`;
  console.log(`[worker] ${text}`);
  send({
    type: "plan_exit",
    report: {
      plan_state: state,
      run_uids: [...runUids],
      scan_ids: [...scanIds],
      err_msg: message,
      traceback: err instanceof Error ? (err.stack ?? "") : "",
      pause_pending: RE.deferredPauseRequested,
    },
  });
}

/** Watches a call/resume/stop promise and reports how the plan ended. */
function follow(promise: Promise<RunEngineResult>): void {
  promise.then(
    (result) => {
      if (ending) report(ending, endingReason);
      else if (result.exitStatus === "fail") report("failed", result.exception ?? result.reason);
      else report("completed");
    },
    (err: unknown) => {
      if (err instanceof RunEngineInterrupted) report("paused");
      else report(ending ?? "failed", endingReason ?? err);
    },
  );
}

function runPlan(item: QueueItem, motors: MotorLimits | undefined): void {
  if (busy) throw new Error("Attempt to start a plan while another plan is running in the worker");
  const spec = env.plans[item.name];
  const description = lists.plans[item.name];
  if (!spec || !description) throw new Error(`Plan '${item.name}' is not in the environment`);
  const { args, kwargs } = resolveArguments(description, item.args ?? [], item.kwargs ?? {}, env);
  const md = { ...mergeMeta(item.meta), queue_item_uid: item.item_uid };
  ending = null;
  endingReason = undefined;
  runUids = [];
  scanIds = [];
  busy = true;
  setEnvironmentState("executing_plan");
  console.log(`[worker] Starting plan '${item.name}' (item ${item.item_uid})`);
  let plan: ReturnType<typeof spec.build>;
  try {
    plan = spec.build(args, kwargs);
    if (motors) plan = enforceMotorLimits(plan, motors, env);
  } catch (err) {
    // Report asynchronously so the manager sees the acceptance first.
    setImmediate(() => report("failed", err));
    return;
  }
  follow(RE.call(plan, { md }));
}

async function handle(call: WorkerCall): Promise<unknown> {
  switch (call.method) {
    case "run_plan":
      runPlan(call.params.item as QueueItem, call.params.motors);
      return { status: "accepted" };
    case "pause":
      RE.requestPause({ defer: call.params.option !== "immediate" });
      return { status: "accepted" };
    case "resume": {
      const resumed = RE.resume(); // throws at once when there is nothing to resume
      setEnvironmentState("executing_plan");
      follow(resumed);
      return { status: "accepted" };
    }
    case "stop":
    case "abort":
    case "halt": {
      ending = ({ stop: "stopped", abort: "aborted", halt: "halted" } as const)[call.method];
      const result =
        call.method === "stop" ? RE.stop() : call.method === "abort" ? RE.abort() : RE.halt();
      follow(result);
      return { status: "accepted" };
    }
    case "execute_function": {
      const item = call.params.item as QueueItem;
      const fn = env.functions?.[item.name];
      if (!fn) throw new Error(`Function '${item.name}' is not in the environment`);
      const value = await fn(...(item.args ?? []), ...(item.kwargs ? [item.kwargs] : []));
      return { return_value: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
    }
    case "abort_running":
      // Ends the running plan where it is (not paused): its own call() promise reports it.
      if (!busy) return { status: "rejected" };
      ending = "aborted";
      endingReason = call.params.option ?? "";
      RE.abort(endingReason).catch(() => {});
      return { status: "accepted" };
    case "environment_update":
      lists = { plans: describePlans(env.plans), devices: describeDevices(env.devices) };
      return { lists };
    case "re_metadata":
      return { re_metadata: JSON.parse(JSON.stringify(RE.md)) };
    case "dry_run": {
      const results = [];
      for (const { item, motors } of call.params.items ?? [])
        results.push(await dryRunItem(item, motors, { env, lists }));
      return { results };
    }
    case "close":
      setEnvironmentState("closing");
      await env.close?.();
      setImmediate(() => process.exit(0));
      return { status: "accepted" };
  }
}

/** Foreground tasks show as "executing_task" while they run. */
async function handleTask(call: WorkerCall): Promise<unknown> {
  const foreground = call.params.run_in_background === false && !busy;
  if (foreground) setEnvironmentState("executing_task");
  try {
    return await handle(call);
  } finally {
    if (foreground && environmentState === "executing_task") setEnvironmentState("idle");
  }
}

process.on("message", (raw) => {
  const notice = raw as DocumentAck;
  if (notice?.type === "document_ack") {
    ackWaiters.get(notice.ack)?.();
    ackWaiters.delete(notice.ack);
    return;
  }
  const call = raw as WorkerCall;
  if (call?.type !== "call") return;
  handleTask(call).then(
    (result) => send({ type: "reply", id: call.id, ok: true, result }),
    (err: unknown) => send({ type: "reply", id: call.id, ok: false, error: describeCause(err) }),
  );
});
// The manager going away ends the worker too.
process.on("disconnect", () => process.exit(0));

async function open(): Promise<void> {
  const profile = await loadProfile(process.env[WORKER_ENV.profile] ?? "sim");
  const dataDir = process.env[WORKER_ENV.dataDir] ?? "./data";
  env = await profile.open({ dataDir });
  // RE.md lives in the data directory (shared with `cerulean run`/`repl`), written as each run
  // opens: scan_id keeps counting across environment opens, server restarts and worker kills.
  // The profile's md applies afresh at every open.
  let metadata: PersistentMetadata;
  try {
    metadata = persistentMetadata(join(dataDir, "run-engine-md.json"), { defaults: env.md ?? {} });
  } catch (err) {
    await env.close?.();
    throw err;
  }
  RE = new RunEngine({
    md: metadata.md,
    scanIdSource: metadata.nextScanId,
    log: {
      info: (m) => console.log(`[RE] ${m}`),
      warn: (m, e) => console.warn(`[RE] ${m}`, e ?? ""),
    },
  });
  RE.stateHook = () => sendState();
  RE.subscribe((...named) => {
    if (named[0] === "start") {
      runUids.push(named[1].uid);
      if (typeof named[1].scan_id === "number") scanIds.push(named[1].scan_id);
    }
    return sendDocument(...named);
  });
  lists = { plans: describePlans(env.plans), devices: describeDevices(env.devices) };
  environmentState = "idle";
  send({ type: "ready", lists });
  sendState();
  console.log(`[worker] Environment '${profile.name}' is open`);
}

open().catch((err: unknown) => {
  send({ type: "open_failed", error: describeCause(err) });
  setTimeout(() => process.exit(1), 50);
});
