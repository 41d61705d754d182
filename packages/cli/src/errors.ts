/** A command line that cannot be understood: unknown command, option or value. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}
