// `cerulean export`: writes the runs of a document file (JSON lines or msgpack) in a file format.
import { accessSync, constants, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { readDocuments } from "@cerulean/event-model";
import { createSerializer, EXPORT_FORMATS, readMsgpack, type Serializer } from "@cerulean/suitcase";
import { CliUsageError } from "../errors.ts";

const HELP = `Usage: cerulean export <run-file> --format <format> --out <dir> [options]

Writes every run of a document file (JSON lines, [name, doc] per line, or msgpack if the
name ends in .msgpack) as ${EXPORT_FORMATS.join(", ")} files. For runs in the catalog, use
'cerulean runs export'.

Options:
  --format <format>    ${EXPORT_FORMATS.join(" | ")}
  --out <dir>          directory for the files (created if missing)
  --template <text>    file name template filled from the start document
                       (default {uid}; e.g. {scan_id}-{sample})
  -h, --help           show this help

Prints the files written, one per line.`;

export interface ExportOptions {
  /** Output lines (default console.log). */
  print?: (line: string) => void;
  /** Error lines (default console.error). */
  printError?: (line: string) => void;
}

/** Runs `cerulean export` with `args`; resolves to the exit code (1 when the file is bad). */
export async function runExport(args: string[], options: ExportOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const printError = options.printError ?? ((line: string) => console.error(line));
  const { values, positionals } = parse(args);
  if (values.help) {
    print(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined)
    throw new CliUsageError("export needs a run file (a JSON-lines document file)");
  if (extra.length > 0)
    throw new CliUsageError(`export takes one run file; got also ${extra.join(" ")}`);
  const format = values.format;
  if (format === undefined)
    throw new CliUsageError(`export needs --format (one of ${EXPORT_FORMATS.join(", ")})`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new CliUsageError(
      `unknown format "${format}"; expected one of ${EXPORT_FORMATS.join(", ")}`,
    );
  }
  if (values.out === undefined)
    throw new CliUsageError("export needs --out <dir>, the directory for the files");
  const problem = unreadable(file);
  if (problem) {
    printError(`cerulean export: cannot read ${file}: ${problem}`);
    return 1;
  }
  let serializer: Serializer | null = null;
  let runs = 0;
  let uid = "";
  let empty = 0;
  // A format that finds nothing to write (tiff of a run without images) writes no file.
  const close = async (open: Serializer) => {
    const paths = await open.close();
    for (const path of paths) print(path);
    if (paths.length === 0) {
      empty++;
      printError(`cerulean export: run ${uid} gave no ${format} file: ${NOTHING_TO_WRITE}`);
    }
  };
  try {
    for await (const [name, doc] of documents(file)) {
      if (name === "start") {
        if (serializer) await close(serializer);
        uid = String((doc as { uid?: unknown }).uid);
        serializer = await createSerializer(format, {
          directory: values.out,
          template: values.template,
        });
        runs++;
      }
      if (!serializer)
        throw new Error(`the file does not begin with a start document (got "${name}")`);
      serializer(name, doc);
    }
  } catch (error) {
    printError(
      `cerulean export: ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
    // What was written stays valid: the serializer closes its files.
    if (serializer) await close(serializer);
    return 1;
  }
  if (serializer) await close(serializer);
  if (runs === 0) {
    printError(`cerulean export: ${file} holds no run (no start document)`);
    return 1;
  }
  return empty > 0 ? 1 : 0;
}

/** Why a run can give no file in a format. */
export const NOTHING_TO_WRITE =
  "the run holds no data this format writes (e.g. no images for tiff)";

/** The `export` entry of the command table. */
export const exportCommand = {
  summary: "write the runs of a document file as jsonl, msgpack, csv, tiff or hdf5 files",
  run: (args: string[]) => runExport(args),
};

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: "string", short: "f" },
        out: { type: "string", short: "o" },
        template: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

function unreadable(file: string): string | null {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile() ? null : "not a file";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT"
      ? "no such file"
      : (error as Error).message;
  }
}

function documents(file: string): AsyncIterable<readonly [string, unknown]> {
  return file.endsWith(".msgpack") ? readMsgpack(file) : readDocuments(file);
}
