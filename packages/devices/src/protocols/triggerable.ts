import type { Status } from "./status.ts";

/** Acquires on request (a detector exposure); read it once the Status is done. */
export interface Triggerable {
  trigger(): Status;
}
