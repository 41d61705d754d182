// Small devices for behaviours the sim beamline does not show: failing reads, statuses that
// never finish or fail, counting stage/pause calls, configure, stream assets.

import { completedStatus, failedStatus, StatusBase } from "@cerulean/devices";
import type { DataKeys, Readings, Status } from "@cerulean/devices/protocols";

/** A readable whose read() rejects (after `failAfter` good reads). */
export class FlakyDetector {
  reads = 0;
  constructor(
    readonly name: string,
    readonly failAfter = 0,
  ) {}
  async read(): Promise<Readings> {
    this.reads++;
    if (this.reads > this.failAfter) throw new Error(`${this.name}: sensor disconnected`);
    return { [this.name]: { value: this.reads, timestamp: Date.now() / 1000 } };
  }
  async describe(): Promise<DataKeys> {
    return { [this.name]: { dtype: "number", shape: [], source: `fake://${this.name}` } };
  }
}

/** A movable whose moves never finish (until stopped) or fail at once. */
export class StuckMotor {
  readonly statuses: StatusBase[] = [];
  stops = 0;
  constructor(
    readonly name: string,
    readonly mode: "hang" | "fail" = "hang",
  ) {}
  set(_value: unknown): Status {
    if (this.mode === "fail")
      return failedStatus(new Error(`${this.name}: limit switch hit`), `${this.name} set`);
    const status = new StatusBase();
    this.statuses.push(status);
    return status;
  }
  async stop(): Promise<void> {
    this.stops++;
  }
  async read(): Promise<Readings> {
    return { [this.name]: { value: 0, timestamp: Date.now() / 1000 } };
  }
  async describe(): Promise<DataKeys> {
    return { [this.name]: { dtype: "number", shape: [], source: `fake://${this.name}` } };
  }
}

/** Counts stage/unstage/pause/resume calls; configure returns [old, new]. */
export class CountingDevice {
  readonly calls: string[] = [];
  config: Record<string, unknown> = { gain: 1 };
  constructor(
    readonly name: string,
    readonly pauseError?: Error,
  ) {}
  stage(): Status {
    this.calls.push("stage");
    return completedStatus();
  }
  unstage(): Status {
    this.calls.push("unstage");
    return completedStatus();
  }
  async pause(): Promise<void> {
    this.calls.push("pause");
    if (this.pauseError) throw this.pauseError;
  }
  async resume(): Promise<void> {
    this.calls.push("resume");
  }
  async read(): Promise<Readings> {
    return { [this.name]: { value: 1, timestamp: Date.now() / 1000 } };
  }
  async describe(): Promise<DataKeys> {
    return { [this.name]: { dtype: "number", shape: [], source: `fake://${this.name}` } };
  }
  async readConfiguration(): Promise<Readings> {
    return { [`${this.name}_gain`]: { value: this.config["gain"], timestamp: 0 } };
  }
  async describeConfiguration(): Promise<DataKeys> {
    return {
      [`${this.name}_gain`]: { dtype: "number", shape: [], source: `fake://${this.name}_gain` },
    };
  }
  configure(settings: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
    const old = { ...this.config };
    this.config = { ...this.config, ...settings };
    return [old, { ...this.config }];
  }
}
