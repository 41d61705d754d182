/** Options of `stop`. */
export interface StopOptions {
  /** False when stopping because something failed (the engine's abort/halt); default true. */
  success?: boolean;
}

/** Can be stopped mid-operation; pending Statuses then fail. */
export interface Stoppable {
  stop(options?: StopOptions): Promise<void>;
}
