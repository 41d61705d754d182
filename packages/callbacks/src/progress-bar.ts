import type { Event, EventDescriptor, RunStart, RunStop } from "@cerulean/event-model";
import { CallbackBase } from "./callback-base.ts";

/** What a progress line shows. */
export interface ProgressState {
  done: number;
  total: number;
  /** Seconds from the start document to the latest event (document times, so replays agree). */
  elapsed: number;
  /** Characters of the bar (default 30). */
  width?: number;
}

/** "m:ss" (or "h:mm:ss") of a duration in seconds; "?" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * One progress line: bar, points done of total, percentage, rate and the time remaining at that
 * rate, e.g. `[#########---------------------]  15/50  30%  2.50 pts/s  elapsed 0:06  remaining 0:14`.
 */
export function formatProgress(state: ProgressState): string {
  const width = state.width ?? 30;
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
  const filled = Math.round(fraction * width);
  const rate = state.elapsed > 0 ? state.done / state.elapsed : Number.NaN;
  const remaining = rate > 0 ? (state.total - state.done) / rate : Number.NaN;
  const digits = String(state.total).length;
  return [
    `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`,
    `${String(state.done).padStart(digits)}/${state.total}`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    Number.isFinite(rate) ? `${rate.toFixed(2)} pts/s` : "? pts/s",
    `elapsed ${formatDuration(state.elapsed)}`,
    `remaining ${formatDuration(remaining)}`,
  ].join("  ");
}

export interface ProgressBarOptions {
  /** Receives the text to show (default: standard error). */
  write?: (text: string) => void;
  /**
   * Redraw one line with carriage returns (terminals) instead of printing lines (logs);
   * default: whether standard error is a terminal.
   */
  redraw?: boolean;
  /** Without redraw: print a line every this many points (default: every tenth of the run). */
  every?: number;
  /** The stream whose events count as points (default "primary"). */
  streamName?: string;
  width?: number;
}

/**
 * A progress bar for runs whose start document says how many points there are (`num_points`):
 * points done, rate and time remaining. Runs without num_points are left alone.
 */
export class ProgressBar extends CallbackBase {
  readonly #write: (text: string) => void;
  readonly #redraw: boolean;
  readonly #options: ProgressBarOptions;
  #start: RunStart | null = null;
  #total = 0;
  #done = 0;
  #elapsed = 0;
  #descriptors = new Set<string>();

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.#options = options;
    this.#write = options.write ?? ((text) => process.stderr.write(text));
    this.#redraw = options.redraw ?? process.stderr.isTTY === true;
  }

  /** The latest state, or null outside a run with num_points. */
  get state(): ProgressState | null {
    return this.#start && this.#total > 0
      ? { done: this.#done, total: this.#total, elapsed: this.#elapsed }
      : null;
  }

  override start(doc: RunStart): void {
    const total = doc["num_points"];
    this.#start = doc;
    this.#total = typeof total === "number" && Number.isInteger(total) && total > 0 ? total : 0;
    this.#done = 0;
    this.#elapsed = 0;
    this.#descriptors.clear();
  }

  override descriptor(doc: EventDescriptor): void {
    if (doc.name === (this.#options.streamName ?? "primary")) this.#descriptors.add(doc.uid);
  }

  override event(doc: Event): void {
    if (!this.#start || this.#total === 0 || !this.#descriptors.has(doc.descriptor)) return;
    // After an immediate pause the engine replays events since the checkpoint with the same
    // seq_num: the highest seq_num seen is the number of points done, not the count of events.
    this.#done = Math.max(this.#done, doc.seq_num);
    this.#elapsed = doc.time - this.#start.time;
    const line = formatProgress({ ...(this.state as ProgressState), width: this.#options.width });
    if (this.#redraw) {
      this.#write(`\r${line}`);
      return;
    }
    const every = this.#options.every ?? Math.max(1, Math.ceil(this.#total / 10));
    if (this.#done % every === 0 || this.#done === this.#total) this.#write(`${line}\n`);
  }

  override stop(doc: RunStop): void {
    if (!this.#start || this.#total === 0 || doc.run_start !== this.#start.uid) return;
    this.#elapsed = doc.time - this.#start.time;
    const summary = `${this.#done}/${this.#total} points in ${formatDuration(this.#elapsed)} (${doc.exit_status})`;
    this.#write(this.#redraw ? `\n${summary}\n` : `${summary}\n`);
    this.#start = null;
  }
}
