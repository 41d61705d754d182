export { runRepl } from "./commands/repl.ts";
export { runRun } from "./commands/run.ts";
export { CliProfileError, CliUsageError } from "./errors.ts";
export { main } from "./main.ts";
export {
  type CeruleanConfig,
  type DeviceContext,
  defineConfig,
  type PlanFunction,
  type StorageConfig,
} from "./profile/config.ts";
export { type ReplOptions, startRepl } from "./repl/start-repl.ts";
