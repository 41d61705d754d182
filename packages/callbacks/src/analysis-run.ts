import {
  type ComposeDescriptorBundle,
  type ComposeRunBundle,
  composeRun,
  type DataKey,
  type DocumentCallback,
  type RunStart,
} from "@cerulean/event-model";

export interface AnalysisRunOptions {
  /** The run being analysed; its uid becomes the new run's `parent_uid`. */
  parent: RunStart;
  /** The analysis, e.g. "live_fit"; becomes the new run's plan_name. */
  name: string;
  /** Data keys of the "analysis" stream. */
  dataKeys: Record<string, DataKey>;
  /** Fields to hint (shown by BestEffortCallback and tables). */
  hinted?: string[];
  /** More start metadata (model, fields...). */
  metadata?: Record<string, unknown>;
}

/**
 * The documents of a live analysis, as a run of their own linked to the analysed run: a start
 * with `parent_uid`, one "analysis" stream with an event per result, and a stop. A consumer
 * cannot add a stream to someone else's run (the producer counts its events and the last result
 * comes after that run's stop), so results travel as a derived run, opened at the first result.
 */
export class AnalysisRun {
  readonly #emit: DocumentCallback;
  readonly #options: AnalysisRunOptions;
  #run: ComposeRunBundle | null = null;
  #stream: ComposeDescriptorBundle | null = null;

  constructor(emit: DocumentCallback, options: AnalysisRunOptions) {
    this.#emit = emit;
    this.#options = options;
  }

  /** The derived run's uid, once opened. */
  get uid(): string | null {
    return this.#run?.startDoc.uid ?? null;
  }

  /** Emits one result as an event of the "analysis" stream, opening the run first if needed. */
  record(data: Record<string, unknown>, time: number): void {
    if (this.#run === null || this.#stream === null) {
      const o = this.#options;
      const run = composeRun({
        time,
        metadata: {
          ...o.metadata,
          plan_name: o.name,
          plan_type: "analysis",
          parent_uid: o.parent.uid,
        },
      });
      this.#emit("start", run.startDoc);
      const keys = Object.keys(o.dataKeys);
      const stream = run.composeDescriptor({
        name: "analysis",
        data_keys: o.dataKeys,
        object_keys: { [o.name]: keys },
        hints: { [o.name]: { fields: o.hinted ?? keys } },
        time,
      });
      this.#emit("descriptor", stream.descriptorDoc);
      this.#run = run;
      this.#stream = stream;
    }
    const timestamps = Object.fromEntries(Object.keys(data).map((k) => [k, time]));
    this.#emit("event", this.#stream.composeEvent({ data, timestamps, time }));
  }

  /** Emits the stop document, if the run was opened. */
  close(time: number): void {
    if (this.#run === null) return;
    this.#emit("stop", this.#run.composeStop({ time }));
    this.#run = null;
    this.#stream = null;
  }
}
