import type { DataKey } from "@cerulean/event-model";

/** One value read from a signal, with the time (seconds since the epoch) it was measured. */
export interface Reading<T = unknown> {
  value: T;
  /** Seconds since the Unix epoch (float), as in Python Bluesky. */
  timestamp: number;
  /** EPICS alarm severity: 0 none, 1 minor, 2 major, 3 invalid. */
  alarm_severity?: number;
  /** Why the alarm was raised, when the source says. */
  message?: string;
}

/** Readings keyed by full signal name (`{motor1: {...}, motor1_setpoint: {...}}`). */
export type Readings = Record<string, Reading>;

/** Event-model DataKeys keyed by full signal name: what `describe()` returns. */
export type DataKeys = Record<string, DataKey>;
