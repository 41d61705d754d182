import type { Status } from "./status.ts";

/** Can be made ready for a fly scan or acquisition (trajectory, exposure) before `kickoff`. */
export interface Preparable<T = unknown> {
  prepare(value: T): Status;
}
