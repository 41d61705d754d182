import type { HasName } from "./has-name.ts";
import type { Status } from "./status.ts";

/** Runs on its own once started (fly scans): `kickoff` starts it, `complete` waits for the end. */
export interface Flyable extends HasName {
  /** Finishes when the motion/acquisition has started. */
  kickoff(): Status;
  /** Finishes when it is over. */
  complete(): Status;
}
