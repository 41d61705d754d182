/** Reacts to the RunEngine pausing and resuming (e.g. closes a shutter). */
export interface Pausable {
  pause(): Promise<void>;
  resume(): Promise<void>;
}
