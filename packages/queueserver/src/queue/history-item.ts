// The history form of a finished item: stored keys plus its `result`.
import type { ExitStatusName, QueueItem } from "../types.ts";
import type { PlanReport } from "../worker/protocol.ts";
import { cleanItem } from "./plan-queue.ts";

/** `item` as it goes to history, with `time_start`/`immediate_execution` moved out. */
export function historyItem(
  item: QueueItem,
  result: { exit_status: ExitStatusName; msg: string } & Partial<PlanReport>,
): QueueItem {
  const clean = cleanItem(item);
  const timeStart = item.properties?.["time_start"];
  if (clean.properties) {
    const { time_start: _t, immediate_execution: _i, ...rest } = clean.properties;
    if (Object.keys(rest).length) clean.properties = rest;
    else delete clean.properties;
  }
  return {
    ...clean,
    result: {
      exit_status: result.exit_status,
      run_uids: result.run_uids ?? [],
      scan_ids: result.scan_ids ?? [],
      time_start: typeof timeStart === "number" ? timeStart : Date.now() / 1000,
      time_stop: Date.now() / 1000,
      msg: result.msg,
      traceback: result.traceback ?? "",
    },
  };
}
