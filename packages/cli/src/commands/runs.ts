// `cerulean runs`: list, search, show and export the runs of the catalog.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type Catalog,
  openCatalog,
  type Query,
  type Run,
  RunNotFoundError,
} from "@cerulean/broker";
import { hintedFields, LiveTable, localDateTime } from "@cerulean/callbacks";
import { encodeJson } from "@cerulean/event-model";
import { createSerializer, EXPORT_FORMATS } from "@cerulean/suitcase";
import { DATA_DIR_OPTIONS, dataDirOf } from "../data-dir-option.ts";
import { CliUsageError } from "../errors.ts";
import { NOTHING_TO_WRITE } from "./export.ts";

const HELP = `Usage: cerulean runs [list|search|show|export] [arguments] [options]

  cerulean runs [list]                 the most recent runs, newest first
  cerulean runs search <terms...>      runs matching every term, newest first
  cerulean runs show <run>             a run's metadata and its primary stream as a table
  cerulean runs export <run...> --format <fmt> [--out <dir>]

A <run> is -1 (the latest), -2..., a scan_id, a uid or a uid prefix (5+ characters).
Search terms: key=value, key!=value, key>value, key>=value, key<value, key<=value,
key~=value (a list containing value), since=<date>, until=<date> (e.g. 2024-05-01),
uid=<prefix>, or plain words (full text). Keys are start-document keys (plan_name,
sample.name) or stop.<key>; values are JSON when they parse (5, true, "5"), else text.

Options:
  --catalog <path|url>  the catalog (default <data-dir>/catalog.sqlite; postgresql://... too)
  --data-dir <dir>      (or --data) the data directory (default ./data)
  -n, --limit <n>       runs to list (default 20)
  --stream <name>       the stream to show (default primary)
  --format <fmt>        export format: ${EXPORT_FORMATS.join(", ")}
  --out <dir>           export directory (default <data-dir>/files)
  --template <text>     export file name template (default {uid})
  --fill                load external data (images in files) while exporting
  -h, --help            show this help`;

export interface RunsOptions {
  /** Output lines (default console.log). */
  print?: (line: string) => void;
}

const OPERATORS: [string, (key: string, value: unknown) => Query][] = [
  [">=", (key, value) => ({ type: "comparison", operator: "ge", key, value: value as number })],
  ["<=", (key, value) => ({ type: "comparison", operator: "le", key, value: value as number })],
  ["!=", (key, value) => ({ type: "noteq", key, value })],
  ["~=", (key, value) => ({ type: "contains", key, value })],
  [">", (key, value) => ({ type: "comparison", operator: "gt", key, value: value as number })],
  ["<", (key, value) => ({ type: "comparison", operator: "lt", key, value: value as number })],
  ["=", (key, value) => ({ type: "eq", key, value })],
];

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Turns command-line search terms into catalog queries. */
export function parseTerms(terms: readonly string[]): Query[] {
  const queries: Query[] = [];
  const words: string[] = [];
  for (const term of terms) {
    const match = OPERATORS.map(([op, make]) => ({ op, make, at: term.indexOf(op) }))
      .filter((m) => m.at > 0)
      .sort((a, b) => a.at - b.at || b.op.length - a.op.length)[0];
    if (!match) {
      words.push(term);
      continue;
    }
    const key = term.slice(0, match.at);
    const raw = term.slice(match.at + match.op.length);
    if (match.op === "=" && (key === "since" || key === "until")) {
      queries.push({
        type: "time_range",
        [key]: typeof jsonOrText(raw) === "number" ? Number(raw) : raw,
      });
    } else if (match.op === "=" && key === "uid") {
      queries.push({ type: "partial_uid", partial_uids: [raw] });
    } else {
      queries.push(match.make(key, jsonOrText(raw)));
    }
  }
  if (words.length) queries.push({ type: "fulltext", text: words.join(" ") });
  return queries;
}

/**
 * The run `text` names: -k, a scan_id, a uid or a uid prefix. A number of 5+ digits that is no
 * run's scan_id is tried as a uid prefix (uids are hexadecimal, some start with 5 digits).
 */
async function getRun(catalog: Catalog, text: string): Promise<Run> {
  if (!/^-?\d+$/.test(text)) return catalog.get(text);
  try {
    return await catalog.get(Number(text));
  } catch (err) {
    if (!(err instanceof RunNotFoundError) || text.length < 5) throw err;
  }
  try {
    return await catalog.get(text);
  } catch (err) {
    if (!(err instanceof RunNotFoundError)) throw err;
    throw new RunNotFoundError(text, `no run has scan_id ${text} or a uid starting with ${text}`);
  }
}

function formatDuration(run: Run): string {
  const d = run.summary.duration;
  if (d === null) return "-";
  return d < 60
    ? `${d.toFixed(1)} s`
    : d < 3600
      ? `${(d / 60).toFixed(1)} min`
      : `${(d / 3600).toFixed(2)} h`;
}

/** A text table, columns padded to their widest cell. */
function table(headings: string[], rows: string[][]): string[] {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headings), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

async function listRuns(runs: readonly Run[], print: (line: string) => void): Promise<void> {
  if (runs.length === 0) {
    print("no runs");
    return;
  }
  const rows = await Promise.all(
    runs.map(async (run) => {
      const events = Object.values(await run.eventCounts()).reduce((a, b) => a + b, 0);
      return [
        String(run.start.scan_id ?? ""),
        String(run.start["plan_name"] ?? ""),
        localDateTime(run.start.time),
        formatDuration(run),
        run.stop?.exit_status ?? "incomplete",
        String(events),
        run.uid.slice(0, 8),
      ];
    }),
  );
  for (const line of table(
    ["scan_id", "plan", "start time", "duration", "exit status", "events", "uid"],
    rows,
  ))
    print(line);
}

async function showRun(run: Run, stream: string, print: (line: string) => void): Promise<void> {
  print(`uid:         ${run.uid}`);
  print(`scan_id:     ${run.start.scan_id ?? ""}`);
  print(`plan:        ${run.start["plan_name"] ?? ""}`);
  print(`start time:  ${localDateTime(run.start.time)}`);
  print(`duration:    ${formatDuration(run)}`);
  print(`exit status: ${run.stop?.exit_status ?? "incomplete (no stop document)"}`);
  if (run.stop?.reason) print(`reason:      ${run.stop.reason}`);
  const counts = await run.eventCounts();
  print(
    `streams:     ${(await run.streamNames()).map((s) => `${s} (${counts[s] ?? 0} events)`).join(", ")}`,
  );
  const skip = new Set(["uid", "time", "scan_id", "plan_name"]);
  for (const [key, value] of Object.entries(run.start))
    if (!skip.has(key)) print(`  ${key}: ${encodeJson(value)}`);
  const descriptor = (await run.descriptors()).find((d) => (d.name ?? "primary") === stream);
  if (!descriptor) return;
  const hinted = hintedFields(descriptor);
  const scalars = Object.entries(descriptor.data_keys)
    .filter(([, k]) => (k.shape ?? []).length === 0)
    .map(([k]) => k);
  const live = new LiveTable(hinted.length ? hinted : scalars, { streamName: stream, out: print });
  for await (const [name, doc] of run.documents()) live.callback(name, doc as never);
}

async function exportRuns(
  runs: readonly Run[],
  values: Values,
  dataDir: string,
  print: (line: string) => void,
): Promise<number> {
  if (!values.format)
    throw new CliUsageError(`runs export needs --format (one of ${EXPORT_FORMATS.join(", ")})`);
  const directory = values.out ?? join(dataDir, "files");
  let empty = 0;
  for (const run of runs) {
    const serializer = await createSerializer(values.format, {
      directory,
      template: values.template,
    });
    for await (const [name, doc] of run.documents({ fill: values.fill ?? false }))
      serializer(name, doc);
    const files = await serializer.close();
    for (const file of files) print(file);
    if (files.length === 0) {
      empty++;
      console.error(
        `cerulean runs: run ${run.uid} gave no ${values.format} file: ${NOTHING_TO_WRITE}`,
      );
    }
  }
  return empty;
}

// "-1" names a run, not an option: it passes parseArgs as a positional and is restored after.
const NEGATIVE = /^-\d+$/;
const MINUS = "\u2212";

function parse(args: string[]) {
  const parsed = parseArgs({
    args: args.map((a) => (NEGATIVE.test(a) ? MINUS + a.slice(1) : a)),
    allowPositionals: true,
    options: {
      catalog: { type: "string" },
      ...DATA_DIR_OPTIONS,
      limit: { type: "string", short: "n" },
      stream: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      template: { type: "string" },
      fill: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  parsed.positionals = parsed.positionals.map((p) => (p.startsWith(MINUS) ? `-${p.slice(1)}` : p));
  return parsed;
}
type Values = ReturnType<typeof parse>["values"];

async function open(values: Values): Promise<{ catalog: Catalog; dataDir: string }> {
  const dataDir = dataDirOf(values) ?? "./data";
  const location = values.catalog ?? join(dataDir, "catalog.sqlite");
  if (!/^postgres(ql)?:\/\//.test(location) && !existsSync(location)) {
    throw new CliUsageError(
      `no catalog at ${location}; run a plan first, or pass --catalog <path|url>`,
    );
  }
  return { catalog: await openCatalog(location), dataDir };
}

/** Runs `cerulean runs` with `args`; resolves to the exit code. */
export async function runRuns(args: string[], options: RunsOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(HELP);
    return 0;
  }
  const [action = "list", ...rest] = positionals;
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new CliUsageError(`--limit "${values.limit}" is not a positive integer`);
  if (!["list", "search", "show", "export"].includes(action)) {
    throw new CliUsageError(
      `unknown runs action "${action}"; expected list, search, show or export`,
    );
  }
  if ((action === "show" || action === "export") && rest.length === 0)
    throw new CliUsageError(`runs ${action} needs a run (-1, a scan_id or a uid)`);
  if (action === "search" && rest.length === 0)
    throw new CliUsageError("runs search needs at least one term, e.g. plan_name=scan");
  const { catalog, dataDir } = await open(values);
  try {
    if (action === "list") await listRuns(await catalog.last(limit), print);
    else if (action === "search")
      await listRuns(await catalog.search(parseTerms(rest), { sort: ["-"], limit }), print);
    else if (action === "show")
      await showRun(await getRun(catalog, rest[0]!), values.stream ?? "primary", print);
    else {
      const runs = await Promise.all(rest.map((key) => getRun(catalog, key)));
      if ((await exportRuns(runs, values, dataDir, print)) > 0) return 1;
    }
    return 0;
  } finally {
    await catalog.close();
  }
}

/** The `runs` entry of the command table. */
export const runsCommand = {
  summary: "list, search, show and export the runs of the catalog",
  run: (args: string[]) => runRuns(args),
};
