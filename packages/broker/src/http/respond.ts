// Sending responses: metadata as JSON (NaN and ±Infinity as null, as Tiled's orjson does) or
// msgpack, with an ETag so that a repeated request with If-None-Match gets 304.
import { createHash } from "node:crypto";
import { encode } from "@msgpack/msgpack";
import type { FastifyReply, FastifyRequest } from "fastify";
import { MSGPACK, metadataType } from "./media-types.ts";

/** JSON text with typed arrays as lists and non-finite numbers as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float64Array) : v,
  );
}

/** Plain data for msgpack: typed arrays as lists. */
export function toPlain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as Float64Array);
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

/** Sends a body with an ETag, or 304 when the client already has it. */
export function sendTagged(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  body: string | Uint8Array,
): FastifyReply {
  const etag = createHash("md5").update(body).digest("hex");
  reply.header("ETag", etag);
  if (request.headers["if-none-match"] === etag) return reply.code(304).send();
  return reply
    .type(type)
    .send(
      typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    );
}

/** Sends metadata-route content as JSON or msgpack, following Accept. */
export function sendMetadata(
  request: FastifyRequest,
  reply: FastifyReply,
  content: unknown,
): FastifyReply {
  const type = metadataType(request.headers.accept);
  if (type === MSGPACK) return sendTagged(request, reply, MSGPACK, encode(toPlain(content)));
  return sendTagged(request, reply, "application/json", toJson(content));
}
