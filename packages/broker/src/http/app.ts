// The catalog's HTTP read API, speaking Tiled's protocol under /api/v1. `tiledPlugin` mounts it
// on any fastify app (the queue server's); `createTiledApp` makes a standalone app.
import { readFileSync } from "node:fs";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyRequest,
} from "fastify";
import type { Catalog } from "../catalog/catalog.ts";
import {
  AmbiguousUidError,
  BrokerError,
  HttpRequestError,
  InvalidQueryError,
  RunNotFoundError,
  StreamNotFoundError,
} from "../errors.ts";
import { arrayRoutes } from "./routes/array-routes.ts";
import { documentRoutes } from "./routes/document-routes.ts";
import { metadataRoutes, type RouteContext } from "./routes/metadata-routes.ts";
import { tableRoutes } from "./routes/table-routes.ts";

export interface TiledApiOptions {
  catalog: Catalog;
  /** Largest data response in bytes before 400 "use slicing" (default 300,000,000). */
  responseBytesizeLimit?: number;
  /** Origins browsers may call from (CORS), e.g. ["http://localhost:5173"] or ["*"]; none by default. */
  allowOrigins?: readonly string[];
}

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

function statusOf(error: Error & { statusCode?: number }): number {
  if (error instanceof HttpRequestError) return error.status;
  if (error instanceof RunNotFoundError || error instanceof StreamNotFoundError) return 404;
  if (error instanceof InvalidQueryError || error instanceof AmbiguousUidError) return 400;
  if (typeof error.statusCode === "number" && error.statusCode >= 400) return error.statusCode;
  return 500;
}

/**
 * The Tiled-protocol routes; register with a prefix, e.g.
 * `app.register(tiledPlugin, { prefix: "/api/v1", catalog })`.
 */
export const tiledPlugin: FastifyPluginAsync<TiledApiOptions> = async (app, options) => {
  const prefix = app.prefix;
  const ctx: RouteContext = {
    catalog: options.catalog,
    version: `cerulean-broker ${VERSION}`,
    base: (request: FastifyRequest) => `${request.protocol}://${request.host}${prefix}`,
  };
  const limits = { responseBytesizeLimit: options.responseBytesizeLimit ?? 300_000_000 };
  const origins = options.allowOrigins ?? [];
  if (origins.length) {
    app.addHook("onRequest", async (request, reply) => {
      const origin = request.headers.origin;
      if (origin && (origins.includes("*") || origins.includes(origin))) {
        reply.header("Access-Control-Allow-Origin", origins.includes("*") ? "*" : origin);
        reply.header("Vary", "Origin");
        reply.header(
          "Access-Control-Allow-Headers",
          "Authorization, Content-Type, Accept, If-None-Match",
        );
        reply.header("Access-Control-Expose-Headers", "ETag, Content-Disposition");
      }
    });
    app.options("/*", async (_request, reply) => reply.code(204).send());
  }
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = statusOf(error);
    const detail =
      status === 500 && !(error instanceof BrokerError)
        ? `internal error: ${error.message}`
        : error.message;
    return reply.code(status).type("application/json").send(JSON.stringify({ detail }));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type("application/json")
      .send(JSON.stringify({ detail: `Not Found: ${request.method} ${request.url}` })),
  );
  metadataRoutes(app, ctx);
  arrayRoutes(app, ctx, limits);
  tableRoutes(app, ctx, limits);
  documentRoutes(app, ctx);
};

/** A standalone fastify app serving the catalog at /api/v1 (listen on it yourself). */
export async function createTiledApp(options: TiledApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(tiledPlugin, { ...options, prefix: "/api/v1" });
  return app;
}
