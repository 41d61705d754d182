// `cerulean run "<plan expression>"` or `cerulean run file.ts`: runs one plan, non-interactively.
import { createWriteStream, existsSync, openSync } from "node:fs";
import { parseArgs } from "node:util";
import type { PlanLike, RunEngineResult, SignalSource } from "@cerulean/engine";
import { JsonlWriter } from "@cerulean/event-model";
import { DATA_DIR_OPTIONS, dataDirOf } from "../data-dir-option.ts";
import { CliUsageError } from "../errors.ts";
import { joinNegativeValues } from "../negative-values.ts";
import { openSession } from "../session/open-session.ts";
import { isPlanFile, loadPlanFile, planLineOf } from "../session/plan-file.ts";
import { evaluatePlan } from "../session/plan-scope.ts";
import { tableCallback } from "../session/table-callback.ts";
import {
  onTermination,
  signalExitCode,
  type TerminationSignal,
  type TerminationSource,
} from "../termination.ts";
import { type AskAfterPause, askOnTerminal, runThroughPauses } from "./run-pauses.ts";

export { evaluatePlan, planScope } from "../session/plan-scope.ts";

const HELP = `Usage: cerulean run "<plan expression>" | <file.ts> [options]

Runs a plan (on the simulated beamline unless --profile says otherwise) and prints its
events as a table, then the run uid and scan_id, e.g.
  cerulean run "count([det], 5)"
  cerulean run "count([det1, det2], 10, {delay: 0.1, md: {sample: 'Si'}})"
  cerulean run "scan([det], motor, -1, 1, 11)"
  cerulean run align.ts      (exports plan = ({ scan, det, motor }) => scan([det], motor, -1, 1, 11))

The expression is JavaScript evaluated with the beamline's devices (motor, motor1..3, det,
det1..det4, noisy_det, img, image_det, flyer1, flyer2, ...), the plans (count, scan,
grid_scan, ...), the plan stubs as bps (bps.mv, bps.trigger_and_read, ...), bp (the plans)
and the preprocessors in scope. It runs with your permissions, like typing it at a prompt:
it is not a sandbox, so run only expressions you trust.

Ctrl-C once pauses at the next checkpoint, twice pauses at once; you are then asked whether
to resume, stop, abort or halt (answer r, s, a or h; a Ctrl-C at that question aborts, except
within a second of it appearing, when it is taken as meant for the pause). SIGTERM or SIGHUP
aborts the plan (its runs are stored with exit_status "abort"), then the command exits.

Options:
  --profile <p>     "sim" (default) or a cerulean.config.ts (devices, plans, metadata, storage)
  --jsonl <file>    also write the documents as [name, doc] JSON lines to <file>
  --data-dir <dir>  (or --data) the data directory (default ./data): runs go to the catalog
                    <dir>/catalog.sqlite, detector files to <dir>/files, the persistent
                    metadata (scan_id) to <dir>/run-engine-md.json
  --catalog <loc>   another catalog: a SQLite file or a postgresql:// URL
  --md <json>       metadata for the run, a JSON object: --md '{"sample": "Si"}'
  --seed <n>        seed the simulated noise
  --velocity <n>    motor speed, units/s (default: instant moves)
  --quiet           do not print the table
  -h, --help        show this help`;

/** An argument ending like this names a plan file (an expression never does). */
const PLAN_FILE_EXTENSION = /\.(ts|mts|js|mjs)$/;

/** How `runRun` talks to the outside world (tests pass their own). */
export interface RunCommandOptions {
  /** Output lines (default console.log). */
  print?: (line: string) => void;
  /** Where SIGINT comes from (default process). */
  signals?: SignalSource;
  /** Asks what to do when the plan pauses (default: a prompt on a terminal, else abort). */
  askAfterPause?: AskAfterPause;
  /** Where SIGTERM and SIGHUP come from (default process). */
  terminations?: TerminationSource;
}

function parseNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new CliUsageError(`--${name} "${text}" is not a number`);
  return n;
}

/** Runs `cerulean run` with `args`; resolves to the exit code (0 when the run succeeded). */
export async function runRun(args: string[], options: RunCommandOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliUsageError(
      `cerulean run takes one plan expression in quotes or one plan file, e.g. cerulean run "count([det], 5)"; got ${positionals.length} arguments`,
    );
  }
  const source = positionals[0] as string;
  if (PLAN_FILE_EXTENSION.test(source) && !existsSync(source)) {
    throw new CliUsageError(`no such plan file: ${source}`);
  }
  let md: Record<string, unknown> = {};
  if (values.md !== undefined) {
    try {
      md = JSON.parse(values.md) as Record<string, unknown>;
    } catch (err) {
      throw new CliUsageError(`--md is not JSON: ${(err as Error).message}`);
    }
    if (typeof md !== "object" || md === null || Array.isArray(md)) {
      throw new CliUsageError(
        `--md must be a JSON object, e.g. '{"sample": "Si"}'; got ${values.md}`,
      );
    }
  }
  const dataDir = dataDirOf(values);
  const seed = parseNumber("seed", values.seed);
  const velocity = parseNumber("velocity", values.velocity);
  // Opened before anything runs: a run must not end with its JSON lines nowhere.
  const writer = values.jsonl === undefined ? undefined : openJsonl(values.jsonl);
  const session = await openSession({
    print,
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(dataDir === undefined ? {} : { data: dataDir }),
    ...(values.catalog === undefined ? {} : { catalog: values.catalog }),
    ...(seed === undefined ? {} : { seed }),
    ...(velocity === undefined ? {} : { velocity }),
  });
  const { RE, engine } = session;
  const fromFile = isPlanFile(source);
  let plan: PlanLike;
  try {
    plan = fromFile
      ? await loadPlanFile(source, session.scope)
      : evaluatePlan(source, session.scope);
  } catch (err) {
    await session.close();
    throw err;
  }
  const scanIds = new Map<string, unknown>();
  RE.subscribe((name, doc) => {
    if (name === "start") scanIds.set(doc.uid, doc.scan_id);
  });
  if (!values.quiet) RE.subscribe(tableCallback(print));
  if (writer) RE.subscribe(writer.callback);
  const stopListening = engine.handleSigint(RE, { print }, options.signals);
  const ended = new AbortController();
  let terminatedBy: TerminationSignal | undefined;
  let aborting: Promise<RunEngineResult> | undefined;
  const stopTerminations = onTermination((signal) => {
    terminatedBy = signal;
    print(`cerulean run: ${signal}: aborting the plan`);
    if (RE.state !== "idle") {
      aborting = RE.abort(`terminated by ${signal}`);
      // The outcome is reported through the call's own promise.
      aborting.catch(() => {});
    }
    ended.abort();
  }, options.terminations);
  let result: RunEngineResult;
  let stored = false;
  try {
    result = await runThroughPauses(
      RE,
      RE.call(plan, { md }),
      options.askAfterPause ?? askOnTerminal,
      print,
      { signal: ended.signal, result: () => aborting },
    );
  } catch (err) {
    print(`cerulean run: the plan failed: ${(err as Error).message}`);
    const line = fromFile ? planLineOf(err, source) : undefined;
    if (line !== undefined) print(`  at ${line}`);
    printRuns(print, [...scanIds.keys()], scanIds);
    return terminatedBy ? signalExitCode(terminatedBy) : 1;
  } finally {
    stopListening();
    stopTerminations();
    // The catalog is closed whatever happened to the JSON lines file.
    let writeError: Error | undefined;
    try {
      await writer?.close();
    } catch (err) {
      writeError = err as Error;
    }
    stored = await session.close();
    if (writeError) {
      print(
        `cerulean run: the JSON lines file ${values.jsonl} is incomplete: ${writeError.message}`,
      );
      stored = false;
    }
  }
  printRuns(print, result.runStartUids, scanIds);
  print(`cerulean run: ${result.exitStatus}${result.reason ? ` (${result.reason})` : ""}`);
  if (!stored) {
    // A scripted series of scans must not go on as if the data were safe.
    print("cerulean run: the run is NOT completely stored (see above)");
    return 1;
  }
  if (terminatedBy) return signalExitCode(terminatedBy);
  return result.exitStatus === "success" ? 0 : 1;
}

/** Opens (creates or truncates) the JSON lines file; a usage error naming it if it cannot. */
function openJsonl(path: string): JsonlWriter {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (err) {
    throw new CliUsageError(`cannot write the JSON lines file ${path}: ${(err as Error).message}`);
  }
  return new JsonlWriter(createWriteStream(path, { fd }));
}

/** One line per run the plan opened: its uid and scan_id. */
function printRuns(
  print: (line: string) => void,
  uids: readonly string[],
  scanIds: Map<string, unknown>,
): void {
  for (const uid of uids) {
    print(`cerulean run: run uid ${uid}, scan_id ${String(scanIds.get(uid) ?? "?")}`);
  }
  if (uids.length === 0) print("cerulean run: the plan opened no run");
}

function parse(args: string[]) {
  return parseArgs({
    args: joinNegativeValues(args, ["seed", "velocity"]),
    allowPositionals: true,
    strict: true,
    options: {
      jsonl: { type: "string" },
      profile: { type: "string" },
      ...DATA_DIR_OPTIONS,
      catalog: { type: "string" },
      md: { type: "string" },
      seed: { type: "string" },
      velocity: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** The `run` entry of the command table. */
export const runCommand = {
  summary: 'run one plan: cerulean run "count([det], 5)" or cerulean run plan.ts',
  run: (args: string[]) => runRun(args),
};
