// The queue server's HTTP app: bluesky-httpserver's routes under /api on fastify, JSON bodies
// accepted on GET as the Python client sends them, failures as `success: false` (200) or 4xx.
import { isIP } from "node:net";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { ConfigurationError, HttpError } from "../errors.ts";
import { callMethod } from "../manager/api.ts";
import type { REManager } from "../manager/re-manager.ts";
import { attachWebSockets } from "../ws/websockets.ts";
import {
  authenticate,
  credentialOf,
  type Principal,
  requireScope,
  type SecurityOptions,
  securityEnabled,
} from "./auth.ts";
import { authRoutes } from "./auth-routes.ts";
import { consoleRoutes } from "./console-routes.ts";
import { ROUTES, type RouteSpec } from "./routes.ts";
import { spreadsheetRoute } from "./spreadsheet-route.ts";

export interface HttpAppOptions {
  manager: REManager;
  security?: SecurityOptions;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
}

/** True for 127.0.0.1, ::1, localhost and the like. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** Refuses to serve a non-loopback address without credentials. */
export function checkBinding(host: string, security: SecurityOptions = {}): void {
  if (!isLoopback(host) && !securityEnabled(security)) {
    throw new ConfigurationError(
      `refusing to listen on '${host}' without an API key: set an API key (--api-key or QSERVER_HTTP_SERVER_SINGLE_USER_API_KEY) or bind to 127.0.0.1`,
    );
  }
}

function readRawBody(request: FastifyRequest, limit: number): Promise<string> {
  const raw = request.raw;
  const length = Number(raw.headers["content-length"] ?? 0);
  if (!(length > 0) && raw.headers["transfer-encoding"] === undefined) return Promise.resolve("");
  if (length > limit)
    return Promise.reject(
      new HttpError(413, `Request body is too large (${length} bytes; the limit is ${limit})`),
    );
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    raw.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit)
        reject(new HttpError(413, `Request body is too large (the limit is ${limit} bytes)`));
      else chunks.push(c);
    });
    raw.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    raw.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(
      400,
      `Failed to decode the request: JSON decode error: ${(err as Error).message}`,
    );
  }
}

/** Parameters of a request: the JSON body (on GET too), as an object. */
async function paramsOf(request: FastifyRequest, limit: number): Promise<Record<string, unknown>> {
  const body =
    request.method === "GET" ? parseJson(await readRawBody(request, limit)) : (request.body ?? {});
  if (Buffer.isBuffer(body))
    throw new HttpError(400, "Request body must be JSON (multipart is for spreadsheet uploads)");
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      `Request body must be a JSON object; got ${JSON.stringify(body).slice(0, 80)}`,
    );
  }
  return body as Record<string, unknown>;
}

/** Builds the fastify app (not listening). Mount other plugins (the broker) before listen. */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const { manager } = options;
  const security = options.security ?? {};
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const app = Fastify({ bodyLimit, logger: false });
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  const principalOf = (request: FastifyRequest): Principal =>
    authenticate(security, credentialOf(request.headers, request.query));

  const handle = (route: RouteSpec) => async (request: FastifyRequest) => {
    const principal = principalOf(request);
    requireScope(principal, route.scope);
    const params = { ...(await paramsOf(request, bodyLimit)), ...(route.fixed ?? {}) };
    if (route.inject === "user_and_group" || route.inject === "user")
      params["user"] = principal.user;
    if (route.inject === "user_and_group" || route.inject === "group")
      params["user_group"] = principal.user_group;
    return callMethod(manager, route.api, params);
  };
  for (const route of ROUTES)
    app.route({ method: route.method, url: route.url, handler: handle(route) });
  authRoutes(app, principalOf);
  spreadsheetRoute(app, { manager, principalOf });
  consoleRoutes(app, { manager, principalOf, paramsOf: (r) => paramsOf(r, bodyLimit) });

  app.setNotFoundHandler((request, reply: FastifyReply) =>
    reply.code(404).send({ detail: `Not Found: ${request.method} ${request.url.split("?")[0]}` }),
  );
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send({ detail: error.message });
    const status =
      typeof error.statusCode === "number" && error.statusCode >= 400 ? error.statusCode : 500;
    return reply
      .code(status)
      .send({ detail: status === 500 ? `Internal server error: ${error.message}` : error.message });
  });
  attachWebSockets(app, { manager, security });
  return app;
}
