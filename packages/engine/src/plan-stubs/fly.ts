// Plan stubs for fly scans: kickoff, complete, collect, kickoff_all, complete_all.
import type { Status } from "@cerulean/devices/protocols";
import { type Group, msg } from "../msg.ts";
import type { Plan } from "../plan.ts";
import { shortUid } from "../utils/short-uid.ts";
import { wait } from "./control.ts";

/** Options of kickoff/complete. */
export interface FlyOptions {
  group?: Group;
  wait?: boolean;
}

function* flyStep(
  command: "kickoff" | "complete",
  obj: unknown,
  options: FlyOptions,
): Plan<Status> {
  const group = options.wait && options.group === undefined ? shortUid(command) : options.group;
  const status = (yield msg(command, obj, {
    kwargs: group === undefined ? {} : { group },
  })) as Status;
  if (options.wait) yield* wait(group);
  return status;
}

/** Starts a flyer; returns the Status. */
export function kickoff(obj: unknown, options: FlyOptions = {}): Plan<Status> {
  return flyStep("kickoff", obj, options);
}

/** Asks a flyer to finish; returns the Status. */
export function complete(obj: unknown, options: FlyOptions = {}): Plan<Status> {
  return flyStep("complete", obj, options);
}

/** Kicks off several flyers in one group, waiting for all by default. */
export function* kickoff_all(objs: Iterable<unknown>, options: FlyOptions = {}): Plan<Status[]> {
  const group = options.group ?? shortUid("kickoff_all");
  const statuses: Status[] = [];
  for (const obj of objs) statuses.push(yield* flyStep("kickoff", obj, { group }));
  if (options.wait ?? true) yield* wait(group);
  return statuses;
}

/** Completes several flyers in one group, not waiting by default. */
export function* complete_all(objs: Iterable<unknown>, options: FlyOptions = {}): Plan<Status[]> {
  const group = options.group ?? shortUid("complete_all");
  const statuses: Status[] = [];
  for (const obj of objs) statuses.push(yield* flyStep("complete", obj, { group }));
  if (options.wait ?? false) yield* wait(group);
  return statuses;
}

/** Options of collect. */
export interface CollectStubOptions {
  /** Stream to collect into (declared with declare_stream). */
  name?: string;
  /** Return the collected partial events (default true). */
  return_payload?: boolean;
  stream?: boolean;
}

/** Collects data from one or more objects into event pages; returns the payload if any. */
export function* collect(...args: unknown[]): Plan<unknown[] | undefined> {
  let options: CollectStubOptions = {};
  const last = args[args.length - 1];
  if (
    args.length > 1 &&
    typeof last === "object" &&
    last !== null &&
    Object.getPrototypeOf(last) === Object.prototype
  ) {
    options = last as CollectStubOptions;
    args = args.slice(0, -1);
  }
  const [obj, ...more] = args;
  return (yield msg("collect", obj, {
    args: more,
    kwargs: {
      stream: options.stream ?? false,
      return_payload: options.return_payload ?? true,
      name: options.name ?? null,
    },
  })) as unknown[] | undefined;
}
