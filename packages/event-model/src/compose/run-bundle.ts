import { EventModelError, EventModelValueError } from "../errors.ts";
import type { RunStart } from "../schemas/run-start.ts";
import type { ExitStatus, RunStop } from "../schemas/run-stop.ts";
import { validateDocument } from "../validate.ts";
import {
  type ComposeDescriptorBundle,
  type ComposeDescriptorOptions,
  composeDescriptor,
} from "./descriptor.ts";
import {
  type ComposeResourceBundle,
  type ComposeResourceOptions,
  type ComposeStreamResourceBundle,
  type ComposeStreamResourceOptions,
  composeResource,
  composeStreamResource,
} from "./resource.ts";
import { newUid, now, RunState } from "./run-state.ts";

export interface ComposeRunOptions {
  uid?: string;
  time?: number;
  /** Everything else in the start document (scan_id, plan_name, sample, hints...). */
  metadata?: Record<string, unknown>;
  validate?: boolean;
  /** Next seq_num per stream name, to continue counting from an earlier run (rarely needed). */
  eventCounters?: Map<string, number>;
}

export interface ComposeStopOptions {
  exit_status?: ExitStatus;
  reason?: string;
  uid?: string;
  time?: number;
  validate?: boolean;
}

/**
 * The start document of a run and the composers bound to it, as event-model's compose_run.
 * Destructuring it as an array gives [startDoc, composeDescriptor, composeResource, composeStop].
 */
export interface ComposeRunBundle extends Iterable<unknown> {
  startDoc: RunStart;
  /** A descriptor for a stream; a stream name keeps one set of data keys for the whole run. */
  composeDescriptor(options: ComposeDescriptorOptions): ComposeDescriptorBundle;
  composeResource(options: Omit<ComposeResourceOptions, "start">): ComposeResourceBundle;
  composeStreamResource(
    options: Omit<ComposeStreamResourceOptions, "start">,
  ): ComposeStreamResourceBundle;
  /** The stop document, with num_events per stream; afterwards the run refuses every document. */
  composeStop(options?: ComposeStopOptions): RunStop;
}

/**
 * Starts composing a run: makes the start document and hands out composers that check what
 * event-model checks (unique stream keys, event keys equal to descriptor keys, seq_num counting,
 * one stop).
 * @example
 * const run = composeRun({ metadata: { plan_name: "count", scan_id: 1 } });
 * const primary = run.composeDescriptor({ name: "primary", data_keys: { det: { dtype: "number", shape: [], source: "sim" } } });
 * primary.composeEvent({ data: { det: 1.5 }, timestamps: { det: 1700000000 } });
 * run.composeStop();
 */
export function composeRun(options: ComposeRunOptions = {}): ComposeRunBundle {
  const metadata = options.metadata ?? {};
  for (const reserved of ["uid", "time"] as const) {
    if (reserved in metadata) {
      throw new EventModelValueError(
        `composeRun: metadata may not contain "${reserved}" (got ${JSON.stringify(metadata[reserved])}); pass it as the ${reserved} option`,
      );
    }
  }
  const startDoc: RunStart = {
    ...metadata,
    uid: options.uid ?? newUid(),
    time: options.time ?? now(),
  };
  if (options.validate ?? true) validateDocument("start", startDoc);
  const run = new RunState(startDoc.uid, options.eventCounters);

  const bundle = {
    startDoc,
    composeDescriptor: (o: ComposeDescriptorOptions) => composeDescriptor(run, o),
    composeResource: (o: Omit<ComposeResourceOptions, "start">) => composeResource(o, run),
    composeStreamResource: (o: Omit<ComposeStreamResourceOptions, "start">) =>
      composeStreamResource(o, run),
    composeStop(o: ComposeStopOptions = {}): RunStop {
      if (run.stopped) {
        throw new EventModelError(
          `the stop document of run ${run.runUid} has already been composed`,
        );
      }
      const num_events: Record<string, number> = {};
      for (const name of run.streams.keys())
        num_events[name] = (run.eventCounters.get(name) ?? 1) - 1;
      const stopDoc: RunStop = {
        uid: o.uid ?? newUid(),
        time: o.time ?? now(),
        run_start: run.runUid,
        exit_status: o.exit_status ?? "success",
        reason: o.reason ?? "",
        num_events,
      };
      if (o.validate ?? true) validateDocument("stop", stopDoc);
      run.stopped = true;
      return stopDoc;
    },
    *[Symbol.iterator]() {
      yield bundle.startDoc;
      yield bundle.composeDescriptor;
      yield bundle.composeResource;
      yield bundle.composeStop;
    },
  };
  return bundle;
}
