// Gathers the documents of runs into finished runs: metadata plus the primary stream as columns.
import {
  DocumentRouter,
  type Event,
  type EventDescriptor,
  type RunStart,
  type RunStop,
} from "@cerulean/event-model";

/** A run that has stopped, as an agent sees it. */
export interface FinishedRun {
  uid: string;
  start: RunStart;
  stop: RunStop;
  /**
   * Numeric fields of the primary stream, one value per event in seq_num order; a null reading
   * (NaN sent as JSON) is NaN here, for the agents to skip.
   */
  columns: Record<string, number[]>;
  /** Number of events in the primary stream. */
  numEvents: number;
}

interface OpenRun {
  start: RunStart;
  rows: { seq: number; data: Record<string, unknown> }[];
}

/**
 * Routes documents (`callback`, or `route(name, doc)`) and calls `onFinished` at each stop with
 * the run's primary stream as numeric columns. Several runs may interleave.
 */
export class RunCollector extends DocumentRouter {
  readonly #open = new Map<string, OpenRun>();
  /** Descriptor uid → run uid, for primary-stream descriptors only. */
  readonly #primary = new Map<string, string>();
  readonly #onFinished: (run: FinishedRun) => void;
  readonly #stream: string;

  constructor(onFinished: (run: FinishedRun) => void, stream = "primary") {
    super();
    this.#onFinished = onFinished;
    this.#stream = stream;
  }

  override start(doc: RunStart): void {
    this.#open.set(doc.uid, { start: doc, rows: [] });
  }

  override descriptor(doc: EventDescriptor): void {
    if ((doc.name ?? "primary") === this.#stream) this.#primary.set(doc.uid, doc.run_start);
  }

  override event(doc: Event): void {
    const runUid = this.#primary.get(doc.descriptor);
    const run = runUid === undefined ? undefined : this.#open.get(runUid);
    run?.rows.push({ seq: doc.seq_num, data: doc.data });
  }

  override stop(doc: RunStop): void {
    const run = this.#open.get(doc.run_start);
    if (run === undefined) return;
    this.#open.delete(doc.run_start);
    for (const [descriptor, uid] of this.#primary) {
      if (uid === doc.run_start) this.#primary.delete(descriptor);
    }
    const rows = [...run.rows].sort((a, b) => a.seq - b.seq);
    const columns: Record<string, number[]> = {};
    const keys = new Set(rows.flatMap((r) => Object.keys(r.data)));
    for (const key of keys) {
      const values = rows.map((r) => r.data[key]);
      // JSON has no NaN: a NaN reading arrives from the catalog as null. Keep the column (as NaN
      // there, so rows stay aligned) instead of dropping it and with it the whole run.
      const numeric = values.some((v) => typeof v === "number");
      if (numeric && values.every((v) => typeof v === "number" || v === null)) {
        columns[key] = values.map((v) => (typeof v === "number" ? v : Number.NaN));
      }
    }
    this.#onFinished({
      uid: doc.run_start,
      start: run.start,
      stop: doc,
      columns,
      numEvents: rows.length,
    });
  }
}
