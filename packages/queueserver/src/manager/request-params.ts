// Request parameter helpers of the API: typed reads, placements, and the checks every
// submitted item goes through (shape, user, group, plan validation) before it is stored.
import { randomUUID } from "node:crypto";
import { RequestFailedError } from "../errors.ts";
import { cleanItem, type Placement } from "../queue/plan-queue.ts";
import { type Position, parsePosition } from "../queue/positions.ts";
import type { QueueItem } from "../types.ts";
import { allowedNames } from "./permissions.ts";
import type { REManager } from "./re-manager.ts";
import { validatePlan } from "./validation.ts";

export type Params = Record<string, unknown>;

export const USER = ["user", "user_group"];

export function pos(p: Params, name = "pos"): Position | undefined {
  return p[name] === undefined ? undefined : parsePosition(p[name], name);
}
export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string")
    throw new RequestFailedError(`Parameter '${name}' must be a string: ${JSON.stringify(v)}`);
  return v;
}
export function strList(p: Params, name: string): string[] {
  const v = p[name];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw new RequestFailedError(
      `Parameter '${name}' must be a list of strings: ${JSON.stringify(v)}`,
    );
  }
  return v as string[];
}
export function placement(p: Params): Placement {
  return { pos: pos(p), before_uid: str(p, "before_uid"), after_uid: str(p, "after_uid") };
}

/** The allowed plan and device names of a group. */
export function allowedFor(
  m: REManager,
  group: string,
): { plans: Set<string>; devices: Set<string> } {
  const plans = allowedNames(m.permissions, group, "plans", Object.keys(m.lists.plans));
  const devices = allowedNames(m.permissions, group, "devices", Object.keys(m.lists.devices));
  if (!plans || !devices) throw new RequestFailedError(`Unknown user group: '${group}'`);
  return { plans: new Set(plans), devices: new Set(devices) };
}

/** Checks a submitted item and returns the stored form with a fresh uid. */
export function prepareItem(
  m: REManager,
  raw: unknown,
  p: Params,
  types = ["plan", "instruction"],
): QueueItem {
  if (raw === undefined || raw === null)
    throw new RequestFailedError("Incorrect request format: request contains no item info");
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new RequestFailedError(
      `Invalid request format: item parameter must have type 'dict': ${JSON.stringify(raw)}`,
    );
  }
  const user = p["user"];
  const group = p["user_group"];
  if (typeof user !== "string" || user === "")
    throw new RequestFailedError("Incorrect request format: user name is not specified");
  if (typeof group !== "string" || group === "")
    throw new RequestFailedError("Incorrect request format: user group is not specified");
  const item = cleanItem(raw as QueueItem);
  // Only the server sets these (from the `agent` parameter), never the submitted item.
  delete item.agent;
  delete item.approval;
  if (typeof item.item_type !== "string" || !types.includes(item.item_type)) {
    throw new RequestFailedError(
      `Incorrect request format: unsupported 'item_type' value ${JSON.stringify(item.item_type)}; expected ${types.join(" or ")}`,
    );
  }
  if (typeof item.name !== "string" || item.name === "")
    throw new RequestFailedError("Item name is not specified");
  if (item.item_type === "instruction") {
    if (item.name !== "queue_stop")
      throw new RequestFailedError(`Unrecognized instruction: '${item.name}'`);
  } else if (item.item_type === "plan") {
    validatePlan(item, m.lists, allowedFor(m, group));
  } else {
    allowedFor(m, group);
  }
  item.user = user;
  item.user_group = group;
  item.item_uid = randomUUID();
  return item;
}
