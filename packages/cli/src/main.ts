import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { exportCommand } from "./commands/export.ts";
import { iocCommand } from "./commands/ioc.ts";
import { proxyCommand } from "./commands/proxy.ts";
import { queueCommand } from "./commands/queue.ts";
import { replCommand } from "./commands/repl.ts";
import { runCommand } from "./commands/run.ts";
import { runsCommand } from "./commands/runs.ts";
import { serveCommand } from "./commands/serve.ts";
import { CliUsageError } from "./errors.ts";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** The subcommands, each with a one-line summary for `--help`. */
const commands: Record<string, { summary: string; run: (args: string[]) => Promise<number> }> = {
  export: exportCommand,
  ioc: iocCommand,
  proxy: proxyCommand,
  queue: queueCommand,
  repl: replCommand,
  run: runCommand,
  runs: runsCommand,
  serve: serveCommand,
};

function usage(): string {
  const lines = [
    "Usage: cerulean <command> [options]",
    "",
    "Cerulean: the Bluesky data-acquisition stack for Node.js.",
    "",
    "Options:",
    "  -h, --help     show this help",
    "  -v, --version  print the version",
  ];
  const names = Object.keys(commands);
  if (names.length > 0) {
    lines.push("", "Commands:");
    for (const name of names) lines.push(`  ${name.padEnd(12)} ${commands[name]?.summary ?? ""}`);
  }
  return lines.join("\n");
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first !== undefined && !first.startsWith("-")) {
      const command = commands[first];
      if (!command) {
        throw new CliUsageError(
          `unknown command "${first}"; expected one of: ${Object.keys(commands).join(", ") || "(none yet)"}`,
        );
      }
      return await command.run(rest);
    }
    const { values } = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
      strict: true,
    });
    if (values.version) {
      console.log(manifest.version);
      return 0;
    }
    console.log(usage());
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`cerulean: ${message}`);
    // Only a mistake in the command line needs the usage; a data directory in use does not.
    if (err instanceof CliUsageError) console.error("Run 'cerulean --help' for usage.");
    return 2;
  }
}
