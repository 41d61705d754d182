// User-group permissions (bluesky-queueserver's user_group_permissions): which plans, devices
// and functions each group may name. Every group is filtered from what `root` allows.
import { RequestFailedError } from "../errors.ts";
import { deviceMatcher, type NameMatcher, nameMatcher } from "./permission-patterns.ts";

type Patterns = (string | null)[] | null | undefined;

export interface GroupPermissions {
  allowed_plans?: Patterns;
  forbidden_plans?: Patterns;
  allowed_devices?: Patterns;
  forbidden_devices?: Patterns;
  allowed_functions?: Patterns;
  forbidden_functions?: Patterns;
}

export interface UserGroupPermissions {
  user_groups: Record<string, GroupPermissions>;
}

const EVERYTHING: GroupPermissions = {
  allowed_plans: [null],
  forbidden_plans: [null],
  allowed_devices: [null],
  forbidden_devices: [null],
  allowed_functions: [null],
  forbidden_functions: [null],
};

/** Everything allowed for `root`, `primary` and `admin` (names starting with `_` hidden). */
export const DEFAULT_PERMISSIONS: UserGroupPermissions = {
  user_groups: {
    root: EVERYTHING,
    primary: { ...EVERYTHING, forbidden_plans: [":^_"], forbidden_devices: [":^_"] },
    admin: EVERYTHING,
  },
};

/** Throws unless `value` is a permissions dict with a `root` group. */
export function checkPermissions(value: unknown): UserGroupPermissions {
  const groups = (value as { user_groups?: unknown } | null)?.user_groups;
  if (typeof groups !== "object" || groups === null || Array.isArray(groups)) {
    throw new RequestFailedError(
      "Invalid user group permissions: expected a dictionary with the key 'user_groups'",
    );
  }
  if (!("root" in groups)) {
    throw new RequestFailedError(
      "Invalid user group permissions: missing required user group 'root'",
    );
  }
  for (const [group, perms] of Object.entries(groups as Record<string, unknown>)) {
    if (typeof perms !== "object" || perms === null) {
      throw new RequestFailedError(
        `Invalid user group permissions: group '${group}' must be a dictionary`,
      );
    }
    for (const [key, list] of Object.entries(perms)) {
      if (
        list !== null &&
        (!Array.isArray(list) || list.some((x) => x !== null && typeof x !== "string"))
      ) {
        throw new RequestFailedError(
          `Invalid user group permissions: '${group}.${key}' must be a list of strings or null`,
        );
      }
      // A pattern that cannot compile is refused here, not silently matching nothing later.
      const compileFor = key.endsWith("_devices") ? deviceMatcher : nameMatcher;
      for (const pattern of (list as (string | null)[] | null) ?? []) {
        if (typeof pattern === "string") compileFor(pattern);
      }
    }
  }
  return value as UserGroupPermissions;
}

type MatcherFactory = (pattern: string) => NameMatcher;

/** True when a pattern of the list (a leading null meaning "everything") matches `name`. */
function matchesAny(patterns: Patterns, name: string, matcher: MatcherFactory): boolean {
  if (!patterns || patterns.length === 0) return false;
  if (patterns[0] === null) return true;
  return patterns.some((p) => p !== null && matcher(p)(name));
}

function filter(
  names: readonly string[],
  allowed: Patterns,
  forbidden: Patterns,
  matcher: MatcherFactory,
): string[] {
  return names.filter((name) => {
    const ok = allowed && allowed.length > 0 && matchesAny(allowed, name, matcher);
    if (!ok) return false;
    if (!forbidden || forbidden.length === 0 || forbidden[0] === null) return true;
    return !matchesAny(forbidden, name, matcher);
  });
}

export type ResourceKind = "plans" | "devices" | "functions";

/** The names of `kind` that `group` may use, out of `names`; undefined for an unknown group. */
export function allowedNames(
  permissions: UserGroupPermissions,
  group: string,
  kind: ResourceKind,
  names: readonly string[],
): string[] | undefined {
  const root = permissions.user_groups["root"];
  const perms = permissions.user_groups[group];
  if (!root || !perms) return undefined;
  const key = (prefix: string) => `${prefix}_${kind}` as keyof GroupPermissions;
  const matcher = kind === "devices" ? deviceMatcher : nameMatcher;
  const fromRoot = filter(names, root[key("allowed")], root[key("forbidden")], matcher);
  return group === "root"
    ? fromRoot
    : filter(fromRoot, perms[key("allowed")], perms[key("forbidden")], matcher);
}
