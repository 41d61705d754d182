// `cerulean repl`: the interactive session (see ../repl/start-repl.ts).
import { parseArgs } from "node:util";
import { DATA_DIR_OPTIONS, dataDirOf } from "../data-dir-option.ts";
import { CliUsageError } from "../errors.ts";
import { joinNegativeValues } from "../negative-values.ts";
import { startRepl } from "../repl/start-repl.ts";

const HELP = `Usage: cerulean repl [options]

An interactive session on the beamline: the RunEngine as RE, every plan (also as bp.*),
plan stub (bps.*), preprocessor (bpp.*) and device of the profile in scope, top-level await,
Tab completion and a history kept in <data-dir>/.cerulean_history.
  await RE(scan([det], motor, -1, 1, 11))   runs a plan: LiveTable, progress, catalog
  Ctrl-C once pauses at the next checkpoint, twice at once; then RE.resume(), RE.stop(),
  RE.abort() or RE.halt()
  wa()  mv(motor, 1)  mvr(motor, 0.1)  ct()  and on the last run: cen()  com()  peak()  goto_cen()

Options:
  --profile <p>     "sim" (default) or a cerulean.config.ts (devices, plans, metadata, storage)
  --data-dir <dir>  (or --data) the data directory (default ./data): catalog <dir>/catalog.sqlite,
                    detector files <dir>/files, history <dir>/.cerulean_history
  --catalog <loc>   another catalog: a SQLite file or a postgresql:// URL
  --seed <n>        seed the simulated noise
  --velocity <n>    motor speed, units/s (default: instant moves)
  --no-history      keep no history
  -h, --help        show this help`;

function parseNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new CliUsageError(`--${name} "${text}" is not a number`);
  return n;
}

/** Runs `cerulean repl` with `args`; resolves to the exit code when the session ends. */
export async function runRepl(args: string[]): Promise<number> {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(args));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const dataDir = dataDirOf(values);
  const seed = parseNumber("seed", values.seed);
  const velocity = parseNumber("velocity", values.velocity);
  return startRepl({
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(dataDir === undefined ? {} : { data: dataDir }),
    ...(values.catalog === undefined ? {} : { catalog: values.catalog }),
    ...(seed === undefined ? {} : { seed }),
    ...(velocity === undefined ? {} : { velocity }),
    ...(values["no-history"] ? { history: false as const } : {}),
  });
}

function parse(args: string[]) {
  return parseArgs({
    args: joinNegativeValues(args, ["seed", "velocity"]),
    allowPositionals: false,
    strict: true,
    options: {
      profile: { type: "string" },
      ...DATA_DIR_OPTIONS,
      catalog: { type: "string" },
      seed: { type: "string" },
      velocity: { type: "string" },
      "no-history": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** The `repl` entry of the command table. */
export const replCommand = {
  summary: "interactive session: RE(scan([det], motor, -1, 1, 11)), Ctrl-C pauses, wa(), mv()",
  run: (args: string[]) => runRepl(args),
};
