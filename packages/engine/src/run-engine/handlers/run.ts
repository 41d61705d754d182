// Run and document messages: open_run, close_run, declare_stream, create, save, drop, monitor, unmonitor.
import { IllegalMessageSequence, PlanArgumentError } from "../../errors.ts";
import type { CommandHandler, EngineContext } from "../context.ts";
import { RunBundler } from "../run-bundler.ts";
import { handler } from "./typed.ts";

let monitorCounter = 0;

async function openRun(msg: Parameters<CommandHandler>[0], ctx: EngineContext): Promise<string> {
  const key = msg.run;
  if (ctx.runs.has(key)) {
    throw new IllegalMessageSequence(
      `"open_run" for run key ${key === undefined ? "(default)" : JSON.stringify(key)}, which is already open; close it first or give the new run another run key`,
    );
  }
  const engine = ctx.engine;
  const scanId = await engine.scanIdSource(engine.md);
  // Abandoned by stop/abort/halt while waiting: the call is over, no run may open (or bump scan_id).
  if (ctx.ended) {
    throw new IllegalMessageSequence(
      `"open_run" finished after the plan had ended; no run was opened (scan_id ${scanId} unused)`,
    );
  }
  engine.md["scan_id"] = scanId;
  // Later layers win: persistent md < plan type/name < the plan's open_run md < call() md.
  const layered = {
    ...engine.md,
    plan_type: "generator",
    plan_name: "",
    ...msg.kwargs,
    ...ctx.callMetadata,
  };
  engine.mdValidator(layered);
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(layered);
  } catch (err) {
    throw new PlanArgumentError(
      `run metadata must be plain data (numbers, strings, lists, objects): ${(err as Error).message}`,
    );
  }
  const metadata = engine.mdNormalizer(copy);
  if (ctx.runs.has(key)) {
    throw new IllegalMessageSequence(
      `"open_run": run key ${JSON.stringify(key)} was opened meanwhile`,
    );
  }
  const run = new RunBundler({
    metadata,
    recordInterruptions: engine.recordInterruptions,
    emit: (name, doc) => ctx.emit(name, doc),
    validate: engine.validateDocuments,
    requireStreamDeclaration: engine.requireStreamDeclaration,
    reportAsyncError: (err) => ctx.reportAsyncError(err),
    warn: (message) => ctx.engine.warn(message),
  });
  // Registered before the start document goes out: whatever a subscriber does, the run gets a stop.
  ctx.runs.set(key, run);
  ctx.runStartUids.push(run.uid);
  run.open();
  ctx.resetCheckpointState();
  return run.uid;
}

/** Handlers of the run/document family. */
export const runHandlers: Record<string, CommandHandler> = {
  open_run: openRun,
  close_run: handler<"close_run">((msg, ctx) => {
    const run = ctx.runFor(msg, "close_run");
    try {
      return run.closeRun(msg.kwargs.exit_status, msg.kwargs.reason);
    } finally {
      ctx.runs.delete(msg.run);
      ctx.resetCheckpointState();
    }
  }),
  declare_stream: handler<"declare_stream">((msg, ctx) => {
    const run = ctx.runFor(msg, "declare_stream");
    const name = msg.kwargs.name;
    if (typeof name !== "string" || name === "") {
      throw new PlanArgumentError(
        `"declare_stream" needs a stream name (name=...); got ${JSON.stringify(name)}`,
      );
    }
    return run.declareStream(msg.args as object[], name, msg.kwargs.collect === true);
  }),
  create: handler<"create">((msg, ctx) => {
    const run = ctx.runFor(msg, "create");
    const name = msg.kwargs.name ?? msg.args[0];
    if (typeof name !== "string" || name === "") {
      throw new PlanArgumentError(
        `"create" needs a stream name, as create("primary") or create({name: "primary"}); got ${JSON.stringify(name)}`,
      );
    }
    run.create(name);
    return undefined;
  }),
  save: handler<"save">((msg, ctx) => ctx.runFor(msg, "save").save()),
  drop: handler<"drop">((msg, ctx) => {
    ctx.runFor(msg, "drop").drop();
    return undefined;
  }),
  monitor: handler<"monitor">(async (msg, ctx) => {
    const run = ctx.runFor(msg, "monitor");
    if (msg.args.length > 0) {
      throw new PlanArgumentError(
        `"monitor" takes no positional arguments; got ${msg.args.length}`,
      );
    }
    const name = msg.kwargs.name ?? `monitor-${(++monitorCounter).toString(16).padStart(6, "0")}`;
    await run.monitors.start(msg.obj, name);
    ctx.resetCheckpointState();
    return undefined;
  }),
  unmonitor: handler<"unmonitor">((msg, ctx) => {
    ctx.runFor(msg, "unmonitor").monitors.stop(msg.obj);
    ctx.resetCheckpointState();
    return undefined;
  }),
};
