// `cerulean run "<plan expression>"` or `cerulean run file.ts`: runs one plan, non-interactively.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import type {
  PlanLike,
  RunEngineResult,
  RunEngine as RunEngineType,
  SignalSource,
} from "@cerulean/engine";
import { JsonlWriter } from "@cerulean/event-model";
import { CliUsageError } from "../errors.ts";
import { openSession } from "../session/open-session.ts";
import { isPlanFile, loadPlanFile, planLineOf } from "../session/plan-file.ts";
import { evaluatePlan } from "../session/plan-scope.ts";
import { tableCallback } from "../session/table-callback.ts";

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
to resume, stop, abort or halt.

Options:
  --profile <p>     "sim" (default) or a cerulean.config.ts (devices, plans, metadata, storage)
  --jsonl <file>    also write the documents as [name, doc] JSON lines to <file>
  --data <dir>      the data directory (default ./data): runs go to the catalog
                    <dir>/catalog.sqlite, detector files to <dir>/files, the persistent
                    metadata (scan_id) to <dir>/run-engine-md.json
  --catalog <loc>   another catalog: a SQLite file or a postgresql:// URL
  --md <json>       metadata for the run, a JSON object: --md '{"sample": "Si"}'
  --seed <n>        seed the simulated noise
  --velocity <n>    motor speed, units/s (default: instant moves)
  --quiet           do not print the table
  -h, --help        show this help`;

/** How `runRun` talks to the outside world (tests pass their own). */
export interface RunCommandOptions {
  /** Output lines (default console.log). */
  print?: (line: string) => void;
  /** Where SIGINT comes from (default process). */
  signals?: SignalSource;
  /** Asks what to do when the plan pauses (default: a prompt on a terminal, else abort). */
  askAfterPause?: () => Promise<string>;
}

function parseNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new CliUsageError(`--${name} "${text}" is not a number`);
  return n;
}

async function defaultAsk(): Promise<string> {
  if (!process.stdin.isTTY) return "abort";
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // Ctrl-C at the prompt aborts (readline alone would only pause its input, and hang).
  const asked = new AbortController();
  rl.on("SIGINT", () => asked.abort());
  try {
    return await rl.question("Paused. [r]esume, [s]top, [a]bort or [h]alt? ", {
      signal: asked.signal,
    });
  } catch (err) {
    if (asked.signal.aborted) return "abort";
    throw err;
  } finally {
    rl.close();
  }
}

/** Drives a call through pauses: asks what to do each time it pauses. */
async function runThroughPauses(
  RE: RunEngineType,
  first: Promise<RunEngineResult>,
  ask: () => Promise<string>,
  print: (line: string) => void,
): Promise<RunEngineResult> {
  let pending = first;
  for (;;) {
    try {
      return await pending;
    } catch (err) {
      if ((err as Error).name !== "RunEngineInterrupted") throw err;
    }
    const answer = (await ask()).trim().toLowerCase();
    if (answer.startsWith("r")) pending = RE.resume();
    else if (answer.startsWith("s")) return RE.stop();
    else if (answer.startsWith("h")) return RE.halt();
    else {
      if (!answer.startsWith("a")) print(`cerulean run: "${answer}" is not an option; aborting`);
      return RE.abort("interrupted from the terminal");
    }
  }
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
  const seed = parseNumber("seed", values.seed);
  const velocity = parseNumber("velocity", values.velocity);
  const session = await openSession({
    print,
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(values.data === undefined ? {} : { data: values.data }),
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
  const writer = values.jsonl === undefined ? undefined : new JsonlWriter(values.jsonl);
  if (writer) RE.subscribe(writer.callback);
  const stopListening = engine.handleSigint(RE, { print }, options.signals);
  let result: RunEngineResult;
  let stored = false;
  try {
    result = await runThroughPauses(
      RE,
      RE.call(plan, { md }),
      options.askAfterPause ?? defaultAsk,
      print,
    );
  } catch (err) {
    print(`cerulean run: the plan failed: ${(err as Error).message}`);
    const line = fromFile ? planLineOf(err, source) : undefined;
    if (line !== undefined) print(`  at ${line}`);
    printRuns(print, [...scanIds.keys()], scanIds);
    return 1;
  } finally {
    stopListening();
    await writer?.close();
    stored = await session.close();
  }
  printRuns(print, result.runStartUids, scanIds);
  print(`cerulean run: ${result.exitStatus}${result.reason ? ` (${result.reason})` : ""}`);
  if (!stored) {
    // A scripted series of scans must not go on as if the data were safe.
    print("cerulean run: the run is NOT completely stored in the catalog (see above)");
    return 1;
  }
  return result.exitStatus === "success" ? 0 : 1;
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
    args,
    allowPositionals: true,
    strict: true,
    options: {
      jsonl: { type: "string" },
      profile: { type: "string" },
      data: { type: "string" },
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
