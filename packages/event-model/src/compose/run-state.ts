import { EventModelRuntimeError } from "../errors.ts";

/** What the composers of one run share: its streams, their event counters, and whether it stopped. */
export class RunState {
  /** Data keys of each stream name, as its first descriptor declared them. */
  readonly streams = new Map<string, ReadonlySet<string>>();
  /** Next seq_num of each stream name. */
  readonly eventCounters: Map<string, number>;
  stopped = false;

  constructor(
    readonly runUid: string,
    eventCounters?: Map<string, number>,
  ) {
    this.eventCounters = eventCounters ?? new Map();
  }

  /** Throws if the run's stop document has been composed: a stopped run takes no more documents. */
  assertOpen(what: string): void {
    if (this.stopped) {
      throw new EventModelRuntimeError(
        `cannot compose ${what}: run ${this.runUid} is already stopped`,
      );
    }
  }
}

/** The current time as the documents carry it: UNIX epoch seconds. */
export function now(): number {
  return Date.now() / 1000;
}

export { randomUUID as newUid } from "node:crypto";
