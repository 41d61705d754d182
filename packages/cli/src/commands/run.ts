// `cerulean run "<plan expression>"`: runs a plan on the simulated beamline.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { hintedFields, LiveTable } from "@cerulean/callbacks";
import type { SimBeamline } from "@cerulean/devices/sim";
import type {
  PlanLike,
  RunEngineResult,
  RunEngine as RunEngineType,
  SignalSource,
} from "@cerulean/engine";
import {
  type Document,
  type DocumentCallback,
  type DocumentName,
  type EventDescriptor,
  JsonlWriter,
} from "@cerulean/event-model";
import { CliUsageError } from "../errors.ts";

const HELP = `Usage: cerulean run "<plan expression>" [options]

Runs a plan on the simulated beamline and prints its events as a table, e.g.
  cerulean run "count([det], 5)"
  cerulean run "count([det1, det2], 10, {delay: 0.1, md: {sample: 'Si'}})"
  cerulean run "scan([det], motor, -1, 1, 11)"

The expression is JavaScript evaluated with the beamline's devices (motor, motor1..3, det,
det1..det4, noisy_det, img, image_det, flyer1, flyer2, ...), the plans (count, scan,
grid_scan, ...), the plan stubs as bps (bps.mv, bps.trigger_and_read, ...), bp (the plans)
and the preprocessors in scope. It runs with your permissions, like typing it at a prompt:
it is not a sandbox, so run only expressions you trust.

Ctrl-C once pauses at the next checkpoint, twice pauses at once; you are then asked whether
to resume, stop, abort or halt.

Options:
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

/** The names an expression sees: devices, plans, stubs and preprocessors. */
export function planScope(
  beamline: SimBeamline,
  engine: typeof import("@cerulean/engine"),
): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const { bps, bp } = engine;
  for (const [name, value] of Object.entries(bp))
    if (typeof value === "function") scope[name] = value;
  scope["count"] = engine.count;
  scope["bps"] = bps;
  scope["bp"] = bp;
  for (const name of [
    "run_wrapper",
    "stage_wrapper",
    "finalize_wrapper",
    "contingency_wrapper",
  ] as const) {
    scope[name] = engine[name];
  }
  for (const [name, device] of Object.entries(beamline)) scope[name] = device;
  return scope;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Evaluates a plan expression with `scope`'s names bound (a Function over the scope's values,
 * in strict mode, so the expression cannot see or change this module's variables). Throws
 * CliUsageError naming the expression when it does not parse, names something unknown, throws,
 * or gives something that is not a plan.
 */
export function evaluatePlan(expression: string, scope: Record<string, unknown>): PlanLike {
  const names = Object.keys(scope).filter((n) => IDENTIFIER.test(n));
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = new Function(...names, `"use strict";\nreturn (${expression}\n);`) as typeof fn;
  } catch (err) {
    throw new CliUsageError(
      `cannot parse the plan expression "${expression}": ${(err as Error).message}`,
    );
  }
  let plan: unknown;
  try {
    plan = fn(...names.map((n) => scope[n]));
  } catch (err) {
    const message = (err as Error).message;
    const hint = err instanceof ReferenceError ? unknownNameHint(message, names) : "";
    throw new CliUsageError(`the plan expression "${expression}" failed: ${message}${hint}`);
  }
  const isPlan =
    typeof plan === "object" &&
    plan !== null &&
    (typeof (plan as { next?: unknown }).next === "function" || Symbol.iterator in plan);
  if (!isPlan || typeof plan === "string") {
    throw new CliUsageError(
      `the plan expression "${expression}" gave ${plan === null ? "null" : typeof plan}, not a plan; call a plan, e.g. count([det], 5)`,
    );
  }
  return plan as PlanLike;
}

/** "did you mean ...?" for a ReferenceError, from the names in scope. */
function unknownNameHint(message: string, names: readonly string[]): string {
  const unknown = /^(\S+) is not defined/.exec(message)?.[1];
  if (unknown === undefined) return "";
  const close = names
    .map((name) => ({ name, d: editDistance(unknown.toLowerCase(), name.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(unknown.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map(({ name }) => name);
  return close.length > 0 ? `; did you mean ${close.slice(0, 3).join(" or ")}?` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A LiveTable of the primary stream, made once its descriptor says which fields to show. */
function tableCallback(print: (line: string) => void): DocumentCallback {
  let table: LiveTable | undefined;
  let start: Document | undefined;
  return ((name: DocumentName, doc: Document) => {
    if (name === "start") {
      start = doc;
      table = undefined;
      return;
    }
    if (!table && name === "descriptor" && (doc as EventDescriptor).name === "primary") {
      table = new LiveTable(hintedFields(doc as EventDescriptor), { out: print });
      if (start) table.callback("start", start as never);
    }
    table?.callback(name as never, doc as never);
  }) as DocumentCallback;
}

function loadMetadata(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    const md = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return typeof md === "object" && md !== null && !Array.isArray(md)
      ? (md as Record<string, unknown>)
      : {};
  } catch (err) {
    throw new CliUsageError(
      `cannot read the persistent metadata ${path}: ${(err as Error).message}`,
    );
  }
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
  try {
    return await rl.question("Paused. [r]esume, [s]top, [a]bort or [h]alt? ");
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
      `cerulean run takes one plan expression in quotes, e.g. cerulean run "count([det], 5)"; got ${positionals.length} arguments`,
    );
  }
  const expression = positionals[0] as string;
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
  const dataDir = values.data ?? "./data";
  // Loaded on use: the other commands must not pay for the engine and the simulation.
  const engine = await import("@cerulean/engine");
  const { createSimBeamline } = await import("@cerulean/devices/sim");
  mkdirSync(join(dataDir, "files"), { recursive: true });
  const beamline = await createSimBeamline({
    dataDir: join(dataDir, "files"),
    ...(seed === undefined ? {} : { seed }),
    ...(velocity === undefined ? {} : { velocity }),
  });
  const plan = evaluatePlan(expression, planScope(beamline, engine));
  const mdPath = join(dataDir, "run-engine-md.json");
  const RE = new engine.RunEngine({
    md: loadMetadata(mdPath),
    log: {
      info: (line) => print(line),
      warn: (line, err) => print(`warning: ${line}${err ? ` (${String(err)})` : ""}`),
    },
  });
  // Every run lands in the catalog of the data directory (`cerulean runs` reads it back).
  const { openCatalog } = await import("@cerulean/broker");
  const catalog = await openCatalog(values.catalog ?? join(dataDir, "catalog.sqlite"));
  RE.subscribe(catalog.insert);
  if (!values.quiet) RE.subscribe(tableCallback(print));
  const writer = values.jsonl === undefined ? undefined : new JsonlWriter(values.jsonl);
  if (writer) RE.subscribe(writer.callback);
  const stopListening = engine.handleSigint(RE, { print }, options.signals);
  let result: RunEngineResult;
  try {
    result = await runThroughPauses(
      RE,
      RE.call(plan, { md }),
      options.askAfterPause ?? defaultAsk,
      print,
    );
  } catch (err) {
    print(`cerulean run: the plan failed: ${(err as Error).message}`);
    return 1;
  } finally {
    stopListening();
    writeFileSync(mdPath, `${JSON.stringify(RE.md, null, 2)}\n`);
    await writer?.close();
    await closeCatalog(catalog, print);
  }
  const uids = result.runStartUids.map((u) => u.slice(0, 8)).join(", ") || "none";
  print(
    `cerulean run: ${result.exitStatus}${result.reason ? ` (${result.reason})` : ""}; runs: ${uids}`,
  );
  return result.exitStatus === "success" ? 0 : 1;
}

/** Commits what the catalog was given; a failure is reported, never hidden. */
async function closeCatalog(
  catalog: { flush(): Promise<void>; close(): Promise<void> },
  print: (line: string) => void,
): Promise<void> {
  try {
    await catalog.flush();
  } catch (err) {
    print(`cerulean run: the catalog did not store every document: ${(err as Error).message}`);
  } finally {
    await catalog.close();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      jsonl: { type: "string" },
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
  summary: 'run a plan on the simulated beamline: cerulean run "count([det], 5)"',
  run: (args: string[]) => runRun(args),
};
