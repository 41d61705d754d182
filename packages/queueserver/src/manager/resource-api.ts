// The API methods about resources and access: plan and device lists (existing and allowed
// per group, reduced for web forms), user-group permissions, and the lock.
import { RequestFailedError } from "../errors.ts";
import { reducePlan } from "../profiles/describe.ts";
import type { Method, Reply } from "./api-method.ts";
import { allowedNames, checkPermissions, DEFAULT_PERMISSIONS } from "./permissions.ts";
import type { REManager } from "./re-manager.ts";
import type { Params } from "./request-params.ts";

const lists =
  (kind: "plans" | "devices", allowed: boolean) =>
  (m: REManager, p: Params): Reply => {
    const key = `${kind}_${allowed ? "allowed" : "existing"}`;
    const all = kind === "plans" ? m.lists.plans : m.lists.devices;
    let names = Object.keys(all);
    if (allowed) {
      const group = p["user_group"];
      if (typeof group !== "string")
        throw new RequestFailedError("User group is not specified", {
          [key]: {},
          [`${key}_uid`]: null,
        });
      const a = allowedNames(m.permissions, group, kind, names);
      if (!a)
        throw new RequestFailedError(`Unknown user group: '${group}'`, {
          [key]: {},
          [`${key}_uid`]: null,
        });
      names = a;
    }
    const out: Record<string, unknown> = {};
    for (const n of names) {
      const d = all[n];
      out[n] = kind === "plans" && p["reduced"] === true && d ? reducePlan(d as never) : d;
    }
    return { [key]: out, [`${key}_uid`]: allowed ? m.permissionsUid : m.listsUid };
  };

/** plans/devices lists, permissions_*, lock, lock_info, unlock. */
export const RESOURCE_METHODS: Record<string, Method> = {
  plans_allowed: { params: ["user_group", "reduced"], run: lists("plans", true) },
  devices_allowed: { params: ["user_group"], run: lists("devices", true) },
  plans_existing: { params: ["reduced"], run: lists("plans", false) },
  devices_existing: { params: [], run: lists("devices", false) },
  permissions_get: { params: [], run: (m) => ({ user_group_permissions: m.permissions }) },
  permissions_set: {
    params: ["user_group_permissions", "lock_key"],
    lock: "queue",
    run: (m, p) => m.setPermissions(checkPermissions(p["user_group_permissions"])),
  },
  permissions_reload: {
    params: ["restore_plans_devices", "restore_permissions", "lock_key"],
    lock: "queue",
    run: (m, p) => {
      if (p["restore_permissions"] !== false) m.setPermissions(DEFAULT_PERMISSIONS);
    },
  },
  lock: {
    params: ["lock_key", "environment", "queue", "user", "note"],
    failure: () => ({ lock_info: {}, lock_info_uid: null }),
    run: (m, p) => {
      m.lock.lock(p);
      m.changed();
      return { lock_info: m.lock.info(), lock_info_uid: m.lock.uid };
    },
  },
  lock_info: {
    params: ["lock_key"],
    failure: () => ({ lock_info: {}, lock_info_uid: null }),
    run: (m, p) => {
      m.lock.checkInfoKey(p["lock_key"]);
      return { lock_info: m.lock.info(), lock_info_uid: m.lock.uid };
    },
  },
  unlock: {
    params: ["lock_key"],
    failure: () => ({ lock_info: {}, lock_info_uid: null }),
    run: (m, p) => {
      m.lock.unlock(p["lock_key"]);
      m.changed();
      return { lock_info: m.lock.info(), lock_info_uid: m.lock.uid };
    },
  },
};
