// Plan stubs for runs and documents: open_run, close_run, declare_stream, create, save, drop,
// monitor, unmonitor.
import type { ExitStatus } from "@cerulean/event-model";
import { type Metadata, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import type { DeclaredStream } from "../run-engine/run-bundler.ts";

/** Opens a run; returns its start uid. */
export function* open_run(md: Metadata = {}): Plan<string> {
  return (yield msg("open_run", null, { kwargs: md })) as string;
}

/** Closes the run; returns its start uid. */
export function* close_run(
  exit_status: ExitStatus | null = null,
  reason: string | null = null,
): Plan<string> {
  return (yield msg("close_run", null, { kwargs: { exit_status, reason } })) as string;
}

/** Declares a stream and emits its descriptor; returns `[descriptor, composeEvent, objs]`. */
export function* declare_stream(
  ...args: [...objs: unknown[], options: { name: string; collect?: boolean }]
): Plan<DeclaredStream> {
  const options = args[args.length - 1] as { name: string; collect?: boolean };
  const objs = args.slice(0, -1);
  return (yield msg("declare_stream", null, {
    args: objs,
    kwargs: { name: options.name, collect: options.collect ?? false },
  })) as DeclaredStream;
}

/** Starts bundling readings into one event of stream `name`. */
export function* create(name = "primary"): Plan<void> {
  yield msg("create", null, { kwargs: { name } });
}

/** Emits the bundled event. */
export function* save(): Plan<void> {
  yield msg("save");
}

/** Discards the bundled readings. */
export function* drop(): Plan<void> {
  yield msg("drop");
}

/** Emits an event of stream `name` (default: a generated name) on every update of `obj`. */
export function* monitor(obj: unknown, options: { name?: string } = {}): Plan<void> {
  yield msg("monitor", obj, { kwargs: options.name === undefined ? {} : { name: options.name } });
}

/** Stops monitoring `obj`. */
export function* unmonitor(obj: unknown): Plan<void> {
  yield msg("unmonitor", obj);
}
