// Who is calling and what they may do: single-user API key, per-user API keys with roles and
// user groups, anonymous read-only access (bluesky-httpserver's scopes and roles).
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "../errors.ts";

const READ = [
  "read:status",
  "read:queue",
  "read:history",
  "read:resources",
  "read:config",
  "read:monitor",
  "read:console",
  "read:lock",
  "read:testing",
];
const USER_WRITE = [
  "write:queue:edit",
  "write:queue:control",
  "write:manager:control",
  "write:plan:control",
  "write:execute",
  "write:history:edit",
  "user:apikeys",
];
const EXPERT_WRITE = [
  ...USER_WRITE,
  "write:permissions",
  "write:scripts",
  "write:config",
  "write:lock",
];

/** bluesky-httpserver's roles and their scopes. */
export const ROLE_SCOPES = {
  admin: ["read:status", "admin:apikeys", "admin:read:principals", "admin:metrics"],
  expert: [...READ.filter((s) => s !== "read:testing"), ...EXPERT_WRITE],
  advanced: [...READ.filter((s) => s !== "read:testing"), ...USER_WRITE],
  user: [...READ.filter((s) => s !== "read:testing"), ...USER_WRITE],
  observer: READ.filter((s) => s !== "read:testing"),
  unauthenticated_single_user: [...READ, ...EXPERT_WRITE, "write:manager:stop", "write:testing"],
  unauthenticated_public: ["read:status"],
} as const;

export type Role = keyof typeof ROLE_SCOPES;

/** A user known by API key. */
export interface UserEntry {
  user: string;
  /** Manager user group (default "primary"). */
  user_group?: string;
  role?: Role;
  /** Replaces the role's scopes. */
  scopes?: string[];
}

export interface SecurityOptions {
  /** Single-user API key (QSERVER_HTTP_SERVER_SINGLE_USER_API_KEY). */
  apiKey?: string;
  /** API key -> user, for several users with their groups and roles. */
  users?: Record<string, UserEntry>;
  /** Requests without a key get `anonymousScopes` (default read:status). */
  allowAnonymous?: boolean;
  anonymousScopes?: string[];
}

/** The caller of a request. */
export interface Principal {
  user: string;
  user_group: string;
  scopes: ReadonlySet<string>;
}

const SINGLE_USER: Principal = {
  user: "UNAUTHENTICATED_SINGLE_USER",
  user_group: "primary",
  scopes: new Set(ROLE_SCOPES.unauthenticated_single_user),
};

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The key in `Authorization: ApiKey <key>`, `?api_key=` or undefined. */
export function credentialOf(headers: Record<string, unknown>, query: unknown): string | undefined {
  const auth = headers["authorization"];
  if (typeof auth === "string") {
    const match = /^ApiKey\s+(.+)$/i.exec(auth.trim());
    if (match) return match[1];
    throw new HttpError(401, "Unsupported authorization scheme: use 'Authorization: ApiKey <key>'");
  }
  const q = (query as Record<string, unknown> | null)?.["api_key"];
  return typeof q === "string" ? q : undefined;
}

/** True when the server requires credentials at all. */
export function securityEnabled(options: SecurityOptions): boolean {
  return Boolean(options.apiKey) || Object.keys(options.users ?? {}).length > 0;
}

/** Resolves the caller; throws 401 for a wrong key or when anonymous access is off. */
export function authenticate(options: SecurityOptions, key: string | undefined): Principal {
  if (!securityEnabled(options)) return SINGLE_USER;
  if (key !== undefined) {
    if (options.apiKey && same(key, options.apiKey)) return SINGLE_USER;
    for (const [k, entry] of Object.entries(options.users ?? {})) {
      if (same(key, k)) {
        return {
          user: entry.user,
          user_group: entry.user_group ?? "primary",
          scopes: new Set(entry.scopes ?? ROLE_SCOPES[entry.role ?? "user"]),
        };
      }
    }
    throw new HttpError(401, "Invalid API key");
  }
  if (options.allowAnonymous) {
    return {
      user: "UNAUTHENTICATED_PUBLIC",
      user_group: "primary",
      scopes: new Set(options.anonymousScopes ?? ROLE_SCOPES.unauthenticated_public),
    };
  }
  throw new HttpError(
    401,
    "Not authenticated: an API key is required ('Authorization: ApiKey <key>')",
  );
}

/** Throws 401 unless the principal has `scope`. */
export function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.has(scope)) {
    throw new HttpError(401, `Not enough permissions. Requires scopes ['${scope}']`);
  }
}

/**
 * Whether a raw HTTP request may use `scope`, its key taken from `Authorization: ApiKey` or
 * `?api_key=` (a browser cannot set headers on a WebSocket). For WebSockets and for routes
 * mounted beside the queue server's (the catalog, the document stream).
 */
export function requestAllows(
  security: SecurityOptions,
  request: Pick<IncomingMessage, "headers" | "url">,
  scope: string,
): boolean {
  try {
    const query = Object.fromEntries(new URL(request.url ?? "/", "http://localhost").searchParams);
    return authenticate(security, credentialOf(request.headers, query)).scopes.has(scope);
  } catch {
    return false;
  }
}
