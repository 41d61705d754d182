export { CliUsageError } from "./errors.ts";
export { main } from "./main.ts";
