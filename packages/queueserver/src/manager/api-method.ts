// The shape of one manager API method: accepted parameters, lock class, failure fields, body.
import type { REManager } from "./re-manager.ts";
import type { Params } from "./request-params.ts";

export type Reply = Record<string, unknown>;

/** One API method by its bluesky-queueserver name. */
export interface Method {
  params: string[];
  lock?: "environment" | "queue";
  /** Fields sent with a failure (e.g. qsize: null). */
  failure?: (p: Params) => Reply;
  run: (m: REManager, p: Params) => Reply | Promise<Reply> | void | Promise<void>;
}
