// The agent core, as in bluesky-adaptive: documents of finished runs in, a model updated by
// tell(), the next plans out of propose(); report() says what the agent believes now.
import type { DocumentCallback } from "@cerulean/event-model";
import { type FinishedRun, RunCollector } from "./finished-run.ts";
import type { AgentLimits, QueueItem } from "./queue-item.ts";

/** What every agent offers to the executors. */
export interface Agent {
  /** The agent's name, sent with every queue item it submits. */
  readonly name: string;
  /** The limits the agent declares (the queue server enforces them). */
  readonly limits: AgentLimits;
  /** True once the agent has nothing more to propose. */
  readonly done: boolean;
  /** Feeds one document; runs are told to the agent when they stop. */
  ingest(name: string, doc: unknown): void;
  /** `ingest` as a DocumentCallback, for `RE.call(plan, { subs })` or a bus subscription. */
  readonly callback: DocumentCallback;
  /** The next plans to run; empty when done. */
  propose(): QueueItem[];
  /** A JSON-able summary of the agent's model and decisions. */
  report(): Record<string, unknown>;
}

/**
 * The base of the shipped agents: collects documents into finished runs and tells them to the
 * subclass, which keeps its model in `tell` and decides in `propose`.
 */
export abstract class AdaptiveAgent implements Agent {
  readonly name: string;
  readonly limits: AgentLimits;
  /** Finished runs told so far. */
  runsSeen = 0;
  readonly #collector: RunCollector;
  readonly callback: DocumentCallback;

  constructor(name: string, limits: AgentLimits) {
    this.name = name;
    this.limits = limits;
    this.#collector = new RunCollector((run) => {
      this.runsSeen += 1;
      this.tell(run);
    });
    this.callback = (name, doc) => this.ingest(name, doc);
  }

  abstract readonly done: boolean;

  ingest(name: string, doc: unknown): void {
    // Names are checked by the router (an unknown one throws); documents are not re-validated.
    const route = this.#collector.callback as (name: string, doc: unknown) => void;
    route(name, doc);
  }

  /** Updates the model with a finished run. */
  abstract tell(run: FinishedRun): void;

  abstract propose(): QueueItem[];

  abstract report(): Record<string, unknown>;
}
