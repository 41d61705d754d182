// The agent guard-rail API: agent registration and listing, the `agent` parameter of item
// add/update, and human approval (approve/deny) of an agent's items.
import { RequestFailedError } from "../errors.ts";
import { historyItem } from "../queue/history-item.ts";
import type { QueueItem } from "../types.ts";
import type { Method, Reply } from "./api-method.ts";
import type { REManager } from "./re-manager.ts";
import { type Params, str } from "./request-params.ts";

/**
 * Tags items submitted on behalf of an agent (`agent` param, or the agent of the item being
 * updated) after checking them against its limits; approval becomes "pending" if required.
 * `replacing` is the uid of an updated item, which does not count as queued twice.
 */
export function applyAgent(m: REManager, items: QueueItem[], p: Params, replacing?: string): void {
  const given = str(p, "agent");
  const previous =
    replacing === undefined ? undefined : m.queue.items.find((i) => i.item_uid === replacing);
  const name = given ?? previous?.agent;
  if (name === undefined) return;
  const isQueued = (i: QueueItem | null) =>
    i !== null && i.agent === name && i.item_uid !== replacing && i.item_type === "plan";
  const queued = m.queue.items.filter(isQueued).length + (isQueued(m.queue.running) ? 1 : 0);
  m.agents.checkSubmit(name, items, m.lists, queued);
  const { require_approval } = m.agents.get(name);
  for (const item of items) {
    item.agent = name;
    if (require_approval && item.item_type === "plan") item.approval = "pending";
  }
}

/** The queued item with `uid` whose approval is pending (clear failure otherwise). */
function pendingItem(m: REManager, p: Params, verb: string): QueueItem {
  const uid = str(p, "uid");
  if (uid === undefined) throw new RequestFailedError(`Parameter 'uid' is required to ${verb}`);
  if (m.queue.running?.item_uid === uid)
    throw new RequestFailedError(`Can not ${verb} item '${uid}': it is currently running`);
  const item = m.queue.items.find((i) => i.item_uid === uid);
  if (!item) throw new RequestFailedError(`Can not ${verb} item '${uid}': it is not in the queue`);
  if (item.approval !== "pending") {
    throw new RequestFailedError(
      `Can not ${verb} item '${uid}': it has no pending approval (approval: ${JSON.stringify(item.approval ?? null)})`,
    );
  }
  return item;
}

const failure = (): Reply => ({ item: {}, qsize: null });

/** agent_register, agent_list, queue_item_approve, queue_item_deny. */
export const AGENT_METHODS: Record<string, Method> = {
  agent_register: {
    params: ["name", "limits", "require_approval"],
    failure: () => ({ agent: null }),
    run: (m, p) => {
      const agent = m.agents.register(p["name"], p["limits"], p["require_approval"]);
      m.log(`Agent '${agent.name}' registered: ${JSON.stringify(agent.limits)}`);
      m.changed();
      return { agent };
    },
  },
  agent_list: { params: [], run: (m) => ({ agents: m.agents.list() }) },
  queue_item_approve: {
    params: ["uid", "user", "lock_key"],
    lock: "queue",
    failure,
    run: (m, p) => {
      const item = pendingItem(m, p, "approve");
      const approved: QueueItem = { ...item, approval: "approved" };
      m.queue.replace(item.item_uid, approved);
      m.log(
        `Item '${item.item_uid}' approved${typeof p["user"] === "string" ? ` by ${p["user"]}` : ""}`,
      );
      m.queueEdited();
      return { item: approved, qsize: m.queue.size };
    },
  },
  queue_item_deny: {
    params: ["uid", "user", "lock_key"],
    lock: "queue",
    failure,
    run: (m, p) => {
      const item = pendingItem(m, p, "deny");
      m.queue.remove({ uid: item.item_uid });
      const by = typeof p["user"] === "string" ? ` by ${p["user"]}` : "";
      const denied = historyItem(
        { ...item, approval: "denied" },
        { exit_status: "denied", msg: `Denied${by}` },
      );
      m.runner.toHistory(denied);
      m.queueEdited();
      return { item: denied, qsize: m.queue.size };
    },
  },
};
