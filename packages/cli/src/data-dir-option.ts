// The data directory option, shared by run, repl, runs and serve: --data-dir, or --data.
import { CliUsageError } from "./errors.ts";

/** The parseArgs options: both spellings are accepted everywhere. */
export const DATA_DIR_OPTIONS = {
  "data-dir": { type: "string" },
  data: { type: "string" },
} as const;

/** The data directory given (undefined if none); both spellings with different values is an error. */
export function dataDirOf(values: Record<string, unknown>): string | undefined {
  const long = values["data-dir"] as string | undefined;
  const short = values["data"] as string | undefined;
  if (long !== undefined && short !== undefined && long !== short) {
    throw new CliUsageError(
      `--data-dir "${long}" and --data "${short}" name two data directories; give one`,
    );
  }
  return long ?? short;
}
