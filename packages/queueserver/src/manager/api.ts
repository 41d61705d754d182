// The manager's API by bluesky-queueserver method name: parameter checks, locks, replies.
// Every reply except status has `success` and `msg`; failures are replies, never throws.
import { isDeepStrictEqual } from "node:util";
import { RequestFailedError } from "../errors.ts";
import type { QueueItem } from "../types.ts";
import { AGENT_METHODS, applyAgent } from "./agent-api.ts";
import type { Method, Reply } from "./api-method.ts";
import type { REManager } from "./re-manager.ts";
import { type Params, placement, pos, prepareItem, str, strList, USER } from "./request-params.ts";
import { RESOURCE_METHODS } from "./resource-api.ts";
import { TASK_METHODS } from "./task-api.ts";

function qsizeNull(p: Params): Reply {
  return { qsize: null, item: p["item"] ?? null };
}

const historyClear = (m: REManager, p: Params): void => {
  if (p["size"] !== undefined && p["item_uid"] !== undefined) {
    throw new RequestFailedError("Parameters 'size' and 'item_uid' are mutually exclusive");
  }
  if (p["size"] !== undefined && !Number.isInteger(p["size"])) {
    throw new RequestFailedError(
      `Parameter 'size' must be an integer: ${JSON.stringify(p["size"])}`,
    );
  }
  m.queue.clearHistory({ size: p["size"] as number | undefined, uid: str(p, "item_uid") });
  m.changed();
};

/** The API methods. */
export const METHODS: Record<string, Method> = {
  ...AGENT_METHODS,
  ...TASK_METHODS,
  ...RESOURCE_METHODS,
  config_get: { params: [], run: () => ({ config: { ip_connect_info: {} } }) },
  queue_get: {
    params: [],
    run: (m) => ({
      items: m.queue.items,
      running_item: m.queue.running ?? {},
      plan_queue_uid: m.queue.planQueueUid,
    }),
  },
  queue_item_add: {
    params: ["item", ...USER, "pos", "before_uid", "after_uid", "lock_key", "agent"],
    lock: "queue",
    failure: qsizeNull,
    run: (m, p) => {
      const item = prepareItem(m, p["item"], p);
      applyAgent(m, [item], p);
      m.queue.add([item], placement(p));
      m.queueEdited();
      return { qsize: m.queue.size, item };
    },
  },
  queue_item_add_batch: {
    params: ["items", ...USER, "pos", "before_uid", "after_uid", "lock_key", "agent"],
    lock: "queue",
    failure: (p) => ({
      qsize: null,
      items: Array.isArray(p["items"]) ? p["items"] : [],
      results: [],
    }),
    run: (m, p) => {
      const raw = p["items"];
      if (!Array.isArray(raw))
        throw new RequestFailedError("Invalid request format: 'items' must be a list");
      const results: { success: boolean; msg: string }[] = [];
      const prepared: QueueItem[] = [];
      for (const r of raw) {
        try {
          prepared.push(prepareItem(m, r, p));
          results.push({ success: true, msg: "" });
        } catch (err) {
          results.push({ success: false, msg: (err as Error).message });
        }
      }
      if (results.some((r) => !r.success)) {
        throw new RequestFailedError("Failed to add all items: validation of some items failed", {
          qsize: m.queue.size,
          items: raw,
          results,
        });
      }
      try {
        applyAgent(m, prepared, p);
      } catch (err) {
        const msg = (err as Error).message;
        throw new RequestFailedError(msg, {
          qsize: m.queue.size,
          items: raw,
          results: raw.map(() => ({ success: false, msg })),
        });
      }
      m.queue.add(prepared, placement(p));
      m.queueEdited();
      return { qsize: m.queue.size, items: prepared, results };
    },
  },
  queue_item_update: {
    params: ["item", ...USER, "replace", "lock_key", "agent"],
    lock: "queue",
    failure: qsizeNull,
    run: (m, p) => {
      const uid = (p["item"] as { item_uid?: unknown } | null)?.item_uid;
      if (typeof uid !== "string")
        throw new RequestFailedError(
          "Item UID is not specified: 'item_uid' is required for update",
        );
      const item = prepareItem(m, p["item"], p);
      applyAgent(m, [item], p, uid);
      if (p["replace"] !== true) item.item_uid = uid;
      // An update that changes nothing is a successful no-op: clients keep their cached queue.
      const current = m.queue.get({ uid });
      if (isDeepStrictEqual(current, item)) return { qsize: m.queue.size, item: current };
      m.queue.replace(uid, item);
      m.queueEdited();
      return { qsize: m.queue.size, item };
    },
  },
  queue_item_get: {
    params: ["pos", "uid"],
    failure: () => ({ item: {} }),
    run: (m, p) => ({ item: m.queue.get({ pos: pos(p), uid: str(p, "uid") }) }),
  },
  queue_item_remove: {
    params: ["pos", "uid", "lock_key"],
    lock: "queue",
    failure: () => ({ item: {}, qsize: null }),
    run: (m, p) => {
      const item = m.queue.remove({ pos: pos(p), uid: str(p, "uid") });
      m.queueEdited();
      return { item, qsize: m.queue.size };
    },
  },
  queue_item_remove_batch: {
    params: ["uids", "ignore_missing", "lock_key"],
    lock: "queue",
    failure: () => ({ items: [], qsize: null }),
    run: (m, p) => {
      const items = m.queue.removeBatch(strList(p, "uids"), p["ignore_missing"] !== false);
      m.queueEdited();
      return { items, qsize: m.queue.size };
    },
  },
  queue_item_move: {
    params: ["pos", "uid", "pos_dest", "before_uid", "after_uid", "lock_key"],
    lock: "queue",
    failure: () => ({ item: {}, qsize: null }),
    run: (m, p) => {
      if (p["pos"] === undefined && p["uid"] === undefined)
        throw new RequestFailedError("Source position or UID is not specified");
      const before = m.queue.planQueueUid;
      const item = m.queue.move(
        { pos: pos(p), uid: str(p, "uid") },
        {
          pos_dest: pos(p, "pos_dest"),
          before_uid: str(p, "before_uid"),
          after_uid: str(p, "after_uid"),
        },
      );
      if (m.queue.planQueueUid !== before) m.queueEdited();
      return { item, qsize: m.queue.size };
    },
  },
  queue_item_move_batch: {
    params: ["uids", "pos_dest", "before_uid", "after_uid", "reorder", "lock_key"],
    lock: "queue",
    failure: () => ({ items: [], qsize: null }),
    run: (m, p) => {
      const items = m.queue.moveBatch(
        strList(p, "uids"),
        {
          pos_dest: pos(p, "pos_dest"),
          before_uid: str(p, "before_uid"),
          after_uid: str(p, "after_uid"),
        },
        p["reorder"] === true,
      );
      m.queueEdited();
      return { items, qsize: m.queue.size };
    },
  },
  queue_item_execute: {
    params: ["item", ...USER, "lock_key"],
    lock: "environment",
    failure: qsizeNull,
    run: async (m, p) => {
      const item = prepareItem(m, p["item"], p);
      await m.runner.executeItem(item);
      return { qsize: m.queue.size, item };
    },
  },
  queue_clear: {
    params: ["lock_key"],
    lock: "queue",
    run: (m) => {
      m.queue.clear();
      m.queueEdited();
    },
  },
  queue_mode_set: {
    params: ["mode", "lock_key"],
    lock: "queue",
    run: (m, p) => {
      const mode = p["mode"];
      if (mode === "default") return m.setMode({ loop: false, ignore_failures: false });
      if (typeof mode !== "object" || mode === null || Array.isArray(mode)) {
        throw new RequestFailedError(
          `Queue mode must be a dictionary or 'default': ${JSON.stringify(mode)}`,
        );
      }
      for (const [k, v] of Object.entries(mode)) {
        if (k !== "loop" && k !== "ignore_failures")
          throw new RequestFailedError(
            `Unsupported plan queue mode parameter '${k}': supported keys are ['loop', 'ignore_failures']`,
          );
        if (typeof v !== "boolean")
          throw new RequestFailedError(
            `Unsupported type of '${k}' in plan queue mode: ${JSON.stringify(v)}; expected bool`,
          );
      }
      m.setMode({ ...m.mode, ...(mode as Record<string, boolean>) });
    },
  },
  queue_start: { params: ["lock_key"], lock: "environment", run: (m) => m.runner.queueStart() },
  queue_stop: { params: ["lock_key"], lock: "environment", run: (m) => m.runner.queueStop() },
  queue_stop_cancel: {
    params: ["lock_key"],
    lock: "environment",
    run: (m) => m.setStopPending(false),
  },
  queue_autostart: {
    params: ["enable", "lock_key"],
    lock: "environment",
    run: (m, p) => {
      if (typeof p["enable"] !== "boolean")
        throw new RequestFailedError(
          `Parameter 'enable' must be a boolean: ${JSON.stringify(p["enable"])}`,
        );
      m.setAutostart(p["enable"]);
    },
  },
  history_get: {
    params: [],
    run: (m) => ({ items: m.queue.history, plan_history_uid: m.queue.planHistoryUid }),
  },
  history_clear: { params: ["size", "item_uid", "lock_key"], lock: "queue", run: historyClear },
  environment_open: { params: ["lock_key"], lock: "environment", run: (m) => m.environmentOpen() },
  environment_close: {
    params: ["lock_key"],
    lock: "environment",
    run: (m) => m.environmentClose(),
  },
  environment_destroy: {
    params: ["lock_key"],
    lock: "environment",
    run: (m) => m.environmentDestroy(),
  },
  re_pause: {
    params: ["option", "lock_key"],
    lock: "environment",
    run: (m, p) => {
      const option = p["option"] ?? "deferred";
      if (option !== "deferred" && option !== "immediate")
        throw new RequestFailedError(
          `Option '${String(option)}' is not supported: expected 'deferred' or 'immediate'`,
        );
      return m.runner.rePause(option);
    },
  },
  re_resume: {
    params: ["lock_key"],
    lock: "environment",
    run: (m) => m.runner.reContinue("resume"),
  },
  re_stop: { params: ["lock_key"], lock: "environment", run: (m) => m.runner.reContinue("stop") },
  re_abort: { params: ["lock_key"], lock: "environment", run: (m) => m.runner.reContinue("abort") },
  re_halt: { params: ["lock_key"], lock: "environment", run: (m) => m.runner.reContinue("halt") },
  re_runs: {
    params: ["option"],
    run: (m, p) => {
      const option = p["option"] ?? "active";
      if (option !== "active" && option !== "open" && option !== "closed")
        throw new RequestFailedError(`Unsupported option: ${JSON.stringify(option)}`);
      const runs = m.runs.list.filter(
        (r) => option === "active" || (option === "open" ? r.is_open : !r.is_open),
      );
      return { run_list: runs, run_list_uid: m.runs.uid };
    },
  },
};

/** Runs an API method and returns its reply (`status`/`ping` return the status dict). */
export async function callMethod(m: REManager, method: string, params: unknown): Promise<Reply> {
  if (method === "status" || method === "ping") return m.status();
  const spec = METHODS[method];
  if (!spec) return { success: false, msg: `Unknown method '${method}'` };
  const given =
    typeof params === "object" && params !== null && !Array.isArray(params)
      ? (params as Params)
      : undefined;
  // A parameter sent as null means "not given", as upstream reads None (`pos: null` is back).
  const p: Params = Object.fromEntries(
    Object.entries(given ?? {}).filter(([, value]) => value !== null),
  );
  try {
    if (params !== undefined && params !== null && given === undefined)
      throw new RequestFailedError("Request parameters must be a dictionary");
    const unknown = Object.keys(p).filter((k) => !spec.params.includes(k));
    if (unknown.length) {
      throw new RequestFailedError(
        `API request contains unsupported parameters: ${unknown.map((k) => `'${k}'`).join(", ")}. Supported parameters: ${JSON.stringify(spec.params)}`,
      );
    }
    if (spec.lock) m.lock.check(spec.lock, p["lock_key"]);
    const out = (await spec.run(m, p)) ?? {};
    return { success: true, msg: "", ...out };
  } catch (err) {
    if (!(err instanceof RequestFailedError)) {
      return {
        success: false,
        msg: `Internal error: ${(err as Error).message}`,
        ...(spec.failure?.(p) ?? {}),
      };
    }
    return { success: false, msg: err.message, ...(spec.failure?.(p) ?? {}), ...err.fields };
  }
}
