import type { PartialEvent } from "@cerulean/event-model";
import { completedStatus } from "../core/status.ts";
import type { HasName } from "../protocols/has-name.ts";
import type { DataKeys, Readings } from "../protocols/reading.ts";
import type { Status } from "../protocols/status.ts";

/**
 * ophyd.sim's TrivialFlyer: follows the flyer protocol with no data. kickoff/complete are
 * done at once; `describeCollect` is `{stream_name: {}}`; `collect` yields 100 empty events
 * with `time` 0…99.
 */
export class TrivialFlyer implements HasName {
  readonly name: string;
  parent: HasName | undefined;

  constructor(name = "trivial_flyer") {
    this.name = name;
  }

  kickoff(): Status {
    return completedStatus(`${this.name} kickoff()`);
  }

  complete(): Status {
    return completedStatus(`${this.name} complete()`);
  }

  async describeCollect(): Promise<Record<string, DataKeys>> {
    return { stream_name: {} };
  }

  *collect(): Generator<PartialEvent> {
    for (let i = 0; i < 100; i++) yield { data: {}, timestamps: {}, time: i };
  }

  async readConfiguration(): Promise<Readings> {
    return {};
  }

  async describeConfiguration(): Promise<DataKeys> {
    return {};
  }

  async stop(): Promise<void> {}
}
