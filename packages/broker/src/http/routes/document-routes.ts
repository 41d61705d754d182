// GET /documents/{uid} (bluesky-tiled-plugins' route) and /container/full/{uid} with
// format=application/json-seq: a run's documents replayed in order, streamed. JSON lines carry
// {"name", "doc"}; non-finite numbers are written NaN/Infinity as Python's json does, so replay
// is exact. msgpack gives a stream of packed {name, doc} maps.
import { Readable } from "node:stream";
import { encodeJson } from "@cerulean/event-model";
import { encode } from "@msgpack/msgpack";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpRequestError } from "../../errors.ts";
import { JSON_SEQ, MSGPACK, negotiate } from "../media-types.ts";
import type { QueryString } from "../query-params.ts";
import { resolveNode } from "../tree.ts";
import { pathOf, type RouteContext } from "./metadata-routes.ts";

function parseFill(raw: string | string[] | undefined): boolean {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === "false" || value === "no") return false;
  if (value === "true" || value === "yes") return true;
  throw new HttpRequestError(
    422,
    `fill must be true or false ("yes"/"no"), got ${JSON.stringify(value)}`,
  );
}

async function sendDocuments(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as QueryString;
  const node = await resolveNode(ctx.catalog, pathOf(request));
  if (node.kind !== "run")
    throw new HttpRequestError(
      404,
      `/${node.path.join("/")} is not a run; documents are replayed per run`,
    );
  const format = Array.isArray(query["format"]) ? query["format"][0] : query["format"];
  const type = negotiate("container", format, request.headers.accept);
  const docs = node.run.documents({ fill: parseFill(query["fill"]) });
  async function* body(): AsyncIterable<Buffer | string> {
    for await (const [name, doc] of docs) {
      yield type === MSGPACK
        ? Buffer.from(encode({ name, doc }))
        : `${encodeJson({ name, doc })}\n`;
    }
  }
  return reply.type(type === MSGPACK ? MSGPACK : JSON_SEQ).send(Readable.from(body()));
}

/** Registers the document replay routes. */
export function documentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get("/documents/*", async (request, reply) => sendDocuments(ctx, request, reply));
  app.get("/container/full/*", async (request, reply) => sendDocuments(ctx, request, reply));
}
