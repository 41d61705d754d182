import type { HasName } from "./has-name.ts";
import type { DataKeys, Readings } from "./reading.ts";

/** Can be read: `describe()` gives one DataKey for each key `read()` returns, same keys. */
export interface Readable extends HasName {
  /** The current values, keyed by full signal name. */
  read(): Promise<Readings>;
  /** Event-model DataKeys of what `read()` returns (same keys). */
  describe(): Promise<DataKeys>;
}

/** Has configuration recorded once per descriptor rather than in every event. */
export interface Configurable extends HasName {
  readConfiguration(): Promise<Readings>;
  describeConfiguration(): Promise<DataKeys>;
}
