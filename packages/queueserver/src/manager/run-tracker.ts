// The runs of the current plan (re_runs), followed from the documents the worker forwards;
// when the worker dies, the open ones get the stop documents it never sent.
import { randomUUID } from "node:crypto";
import type { RunInfo } from "../types.ts";

export class RunTracker {
  list: RunInfo[] = [];
  uid = randomUUID();

  /** Forgets the runs of the previous plan. */
  reset(): void {
    this.list = [];
    this.uid = randomUUID();
  }

  /** Follows a document; true when the run list changed. */
  track(name: string, doc: unknown): boolean {
    const d = doc as { uid?: string; run_start?: string; scan_id?: number; exit_status?: string };
    if (name === "start" && d.uid) {
      this.list.push({ uid: d.uid, scan_id: d.scan_id ?? null, is_open: true, exit_status: null });
    } else if (name === "stop") {
      const run = this.list.find((r) => r.uid === d.run_start);
      if (!run) return false;
      run.is_open = false;
      run.exit_status = d.exit_status ?? null;
    } else {
      return false;
    }
    this.uid = randomUUID();
    return true;
  }

  /** Stop documents (exit_status "fail", `reason`) for every run still open, now closed. */
  closeOpenRuns(reason: string): Record<string, unknown>[] {
    const stops = this.list
      .filter((r) => r.is_open)
      .map((run) => ({
        uid: randomUUID(),
        run_start: run.uid,
        time: Date.now() / 1000,
        exit_status: "fail",
        reason,
        num_events: {},
      }));
    for (const stop of stops) this.track("stop", stop);
    return stops;
  }
}
