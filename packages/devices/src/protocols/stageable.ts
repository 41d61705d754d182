import type { Status } from "./status.ts";

/**
 * Prepared before a run and restored after: `stage` sets what the device needs and
 * `unstage` puts back what it changed. Either may return a Status (the engine adds it to
 * the message's group) or a promise.
 */
export interface Stageable {
  stage(): Status | Promise<unknown>;
  unstage(): Status | Promise<unknown>;
}
