// The read-only part of bluesky-httpserver's auth API: who the caller is and what it may do.
// (Login, sessions and key management need a principal database Cerulean does not keep.)
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Principal } from "./auth.ts";

export function authRoutes(
  app: FastifyInstance,
  principalOf: (request: FastifyRequest) => Principal,
): void {
  app.get("/api/auth/whoami", async (request) => {
    const p = principalOf(request);
    return {
      type: "user",
      identities: [{ id: p.user, provider: "api_key" }],
      roles: [],
      scopes: [...p.scopes].sort(),
      user_group: p.user_group,
      api_keys: [],
      sessions: [],
    };
  });
  app.get("/api/auth/scopes", async (request) => {
    const p = principalOf(request);
    return { roles: [], scopes: [...p.scopes].sort() };
  });
}
