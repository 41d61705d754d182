// Work done in the worker outside the queue: function_execute, environment_update, tasks'
// status and results, RE metadata, dry runs; and the refusals of what Cerulean does not do
// (script_upload runs no code sent in a request; there is no IPython kernel).
import { randomUUID } from "node:crypto";
import { RequestFailedError } from "../errors.ts";
import type { QueueItem } from "../types.ts";
import type { DryRunResult } from "../worker/dry-run.ts";
import type { Method, Reply } from "./api-method.ts";
import { allowedNames } from "./permissions.ts";
import type { REManager } from "./re-manager.ts";
import { type Params, prepareItem, strList, USER } from "./request-params.ts";

/** Worker calls of tasks may take long; the queue's own calls keep their short timeout. */
const TASK_TIMEOUT_MS = 3_600_000;

function requireEnvironment(m: REManager, message = "RE Worker environment does not exist.") {
  const worker = m.worker;
  if (!m.envExists || !worker) throw new RequestFailedError(message);
  return worker;
}

function background(p: Params): boolean {
  const v = p["run_in_background"] ?? false;
  if (typeof v !== "boolean")
    throw new RequestFailedError(
      `Parameter 'run_in_background' must be a boolean: ${JSON.stringify(v)}`,
    );
  return v;
}

/** Starts `work` as task `taskUid`; foreground tasks hold the manager in `executing_task`. */
function startTask(
  m: REManager,
  taskUid: string,
  inBackground: boolean,
  work: () => Promise<unknown>,
): void {
  if (!inBackground) {
    if (m.state !== "idle") throw new RequestFailedError("RE Manager is busy.");
    m.state = "executing_task";
  }
  m.tasks.start(taskUid, inBackground);
  m.changed();
  work()
    .then(
      (value) => m.tasks.complete(taskUid, { success: true, msg: "", return_value: value }),
      (err: unknown) =>
        m.tasks.complete(taskUid, {
          success: false,
          msg: (err as Error).message,
          traceback: (err as Error).stack ?? "",
        }),
    )
    .finally(() => {
      if (!inBackground && m.state === "executing_task") m.state = "idle";
      m.changed();
    });
}

function taskUidParam(p: Params): unknown {
  if (p["task_uid"] === undefined)
    throw new RequestFailedError("Required 'task_uid' parameter is missing");
  return p["task_uid"];
}

/** function_execute, task_status, task_result, environment_update, re_metadata, ... */
export const TASK_METHODS: Record<string, Method> = {
  function_execute: {
    params: ["item", ...USER, "run_in_background", "lock_key"],
    lock: "environment",
    failure: (p) => ({ item: p["item"] ?? null, task_uid: null }),
    run: (m, p) => {
      const raw = p["item"] as { args?: unknown; kwargs?: unknown } | null | undefined;
      if (raw && typeof raw === "object" && !Array.isArray(raw)) {
        if (raw.args !== undefined && !Array.isArray(raw.args))
          throw new RequestFailedError("Parameter 'args' is not a tuple or a list");
        const kw = raw.kwargs;
        if (kw !== undefined && (typeof kw !== "object" || kw === null || Array.isArray(kw)))
          throw new RequestFailedError("Parameter 'kwargs' is not a dictionary");
      }
      if (raw && typeof raw === "object" && (raw as { name?: unknown }).name === undefined)
        throw new RequestFailedError("Function name is not specified");
      const item = prepareItem(m, p["item"], p, ["function"]);
      const group = item.user_group ?? "";
      if (!allowedNames(m.permissions, group, "functions", [item.name])?.length)
        throw new RequestFailedError(`Function '${item.name}' is not allowed`);
      const worker = requireEnvironment(m);
      const inBackground = background(p);
      startTask(m, item.item_uid, inBackground, async () => {
        const params = { item, run_in_background: inBackground };
        const r = (await worker.call("execute_function", params, TASK_TIMEOUT_MS)) as {
          return_value: unknown;
        };
        return r.return_value;
      });
      return { item, task_uid: item.item_uid };
    },
  },
  task_status: {
    params: ["task_uid"],
    failure: (p) => ({ task_uid: p["task_uid"] ?? null, status: null }),
    run: (m, p) => {
      const uid = taskUidParam(p);
      if (typeof uid === "string") return { task_uid: uid, status: m.tasks.status(uid) };
      if (Array.isArray(uid) && uid.every((u) => typeof u === "string")) {
        const status: Record<string, string> = {};
        for (const u of uid as string[]) status[u] = m.tasks.status(u);
        return { task_uid: uid, status };
      }
      throw new RequestFailedError(
        `Parameter 'task_uid' must be a string or a list of strings: ${JSON.stringify(uid)}`,
      );
    },
  },
  task_result: {
    params: ["task_uid"],
    failure: (p) => ({ task_uid: p["task_uid"] ?? null, status: null, result: {} }),
    run: (m, p) => {
      const uid = taskUidParam(p);
      if (typeof uid !== "string")
        throw new RequestFailedError(
          `Parameter 'task_uid' must be a string: ${JSON.stringify(uid)}`,
        );
      return { task_uid: uid, status: m.tasks.status(uid), result: m.tasks.result(uid) };
    },
  },
  environment_update: {
    params: ["run_in_background", "lock_key"],
    lock: "environment",
    failure: () => ({ task_uid: null }),
    run: (m, p) => {
      const worker = requireEnvironment(m);
      const taskUid = randomUUID();
      const inBackground = background(p);
      startTask(m, taskUid, inBackground, async () => {
        const params = { run_in_background: inBackground };
        const r = (await worker.call("environment_update", params, TASK_TIMEOUT_MS)) as Reply;
        m.setLists(r["lists"] as REManager["lists"]);
        return null;
      });
      return { task_uid: taskUid };
    },
  },
  script_upload: {
    params: ["script", "update_lists", "update_re", "run_in_background", "lock_key"],
    lock: "environment",
    failure: () => ({ task_uid: null }),
    run: (m) => {
      requireEnvironment(m, "RE Worker environment is not open");
      throw new RequestFailedError(
        "Script upload is not supported: Cerulean never runs code sent in a request. Add plans and devices to the profile, then call environment_update",
      );
    },
  },
  kernel_interrupt: {
    params: ["interrupt_task", "interrupt_plan", "lock_key"],
    lock: "environment",
    run: () => {
      throw new RequestFailedError(
        "RE Worker has no IPython kernel (ip_kernel_state is 'disabled'): nothing to interrupt",
      );
    },
  },
  re_metadata: {
    params: [],
    failure: () => ({ re_metadata: {} }),
    run: async (m) => {
      const worker = requireEnvironment(m);
      return (await worker.call("re_metadata", {})) as Reply;
    },
  },
  queue_dry_run: {
    params: ["uids", "item", "agent", ...USER],
    failure: () => ({ results: [] }),
    run: async (m, p) => {
      const worker = requireEnvironment(m);
      let items: QueueItem[];
      if (p["item"] !== undefined) {
        if (p["uids"] !== undefined)
          throw new RequestFailedError("Parameters 'item' and 'uids' are mutually exclusive");
        items = [prepareItem(m, p["item"], p)];
      } else if (p["uids"] !== undefined) {
        items = strList(p, "uids").map((uid) => {
          const item = m.queue.items.find((i) => i.item_uid === uid);
          if (!item) throw new RequestFailedError(`Plan with UID '${uid}' is not in the queue`);
          return item;
        });
      } else {
        items = [...m.queue.items];
      }
      const agentParam = p["agent"];
      if (agentParam !== undefined && typeof agentParam !== "string")
        throw new RequestFailedError(
          `Parameter 'agent' must be a string: ${JSON.stringify(agentParam)}`,
        );
      const calls = items.map((item) => {
        const agent = item.agent ?? (p["item"] !== undefined ? agentParam : undefined);
        const motors = agent === undefined ? undefined : m.agents.get(agent).limits.motors;
        return { item, ...(motors ? { motors } : {}) };
      });
      const r = (await worker.call("dry_run", { items: calls }, TASK_TIMEOUT_MS)) as {
        results: DryRunResult[];
      };
      return { results: r.results };
    },
  },
  manager_stop: {
    params: ["option"],
    run: (m, p) => {
      const option = p["option"] ?? "safe_on";
      if (option !== "safe_on" && option !== "safe_off")
        throw new RequestFailedError(
          `Option ${JSON.stringify(option)} is not supported: expected 'safe_on' or 'safe_off'`,
        );
      if (option === "safe_on" && m.state !== "idle")
        throw new RequestFailedError(
          `RE Manager can not be stopped safely in state '${m.state}': wait for 'idle' or use option 'safe_off'`,
        );
      m.log(`Stopping the RE Manager (${option})...`);
      // After the reply is sent: the server closes itself (queue-server.ts).
      setTimeout(() => m.emit("manager_stop"), 50);
    },
  },
  manager_kill: {
    params: [],
    run: () => {
      throw new RequestFailedError(
        "manager_kill is not supported: the Cerulean manager runs without a watchdog to restart it; restart the server process instead",
      );
    },
  },
  test_server_sleep: {
    params: ["time"],
    run: async (_m, p) => {
      const time = p["time"];
      if (typeof time !== "number" || !(time >= 0 && time <= 60))
        throw new RequestFailedError(
          `Parameter 'time' must be seconds in [0, 60]: ${JSON.stringify(time)}`,
        );
      await new Promise((r) => setTimeout(r, time * 1000));
    },
  },
};
