// The document WebSocket's messages (server to client only), sans-IO. JSON text frames by
// default (non-finite numbers as Python's NaN/Infinity tokens, like JSON lines), msgpack binary
// frames with ?format=msgpack:
//   {"type":"document","seq":12,"name":"event","doc":{...}}   one per document, seq +1 each
//   {"type":"gap","missed":40,"next":52,"reason":"evicted","message":"..."}   then seq 52 follows
//   {"type":"live","next":53,"epoch":"..."}   the replay is over: what follows is live
// Query parameters: format=json|msgpack, replay=run (default: the current run) | none | all,
// since=<seq> (resume: start at that seq, e.g. after a reconnect) with epoch=<the live frame's
// epoch>, which tells a restarted server (its seqs started again) from the same one.
import { type DocumentName, encodeJson, isDocumentName } from "@cerulean/event-model";
import { decodeBody, encodeMsgpack, isWireFormat } from "../codec/document-codec.ts";
import type { GapReason, WireFormat } from "../document-bus.ts";
import { BusConfigError, BusDecodeError } from "../errors.ts";

/** What a client receives. */
export type ServerMessage =
  | { type: "document"; seq: number; name: DocumentName; doc: Record<string, unknown> }
  | { type: "gap"; missed: number; next: number; reason: GapReason; message: string }
  | { type: "live"; next: number; epoch?: string };

/** Where a connection starts reading. */
export type ReplayFrom =
  | { kind: "run" }
  | { kind: "none" }
  | { kind: "all" }
  | { kind: "since"; seq: number; epoch?: string };

/** What a client asked for in its URL. */
export interface SubscriptionRequest {
  format: WireFormat;
  from: ReplayFrom;
}

/** Reads the query of a connection URL; throws BusConfigError naming a bad parameter. */
export function parseSubscriptionRequest(search: URLSearchParams): SubscriptionRequest {
  const format = search.get("format") ?? "json";
  if (!isWireFormat(format)) {
    throw new BusConfigError(`format=${format} is not served; expected json or msgpack`);
  }
  const since = search.get("since");
  if (since !== null) {
    const seq = Number(since);
    if (!Number.isSafeInteger(seq) || seq < 1) {
      throw new BusConfigError(`since=${since} is not a document seq (an integer from 1)`);
    }
    const epoch = search.get("epoch");
    if (epoch === null) return { format, from: { kind: "since", seq } };
    if (!/^[\w-]{1,64}$/.test(epoch)) {
      throw new BusConfigError(
        `epoch=${epoch.slice(0, 80)} is not a server epoch (as a live frame gives)`,
      );
    }
    return { format, from: { kind: "since", seq, epoch } };
  }
  const replay = search.get("replay") ?? "run";
  if (replay !== "run" && replay !== "none" && replay !== "all") {
    throw new BusConfigError(`replay=${replay} is not one of run, none, all`);
  }
  return { format, from: { kind: replay } };
}

/** The query string for a request (the inverse of parseSubscriptionRequest). */
export function subscriptionQuery(request: Partial<SubscriptionRequest>): string {
  const params = new URLSearchParams();
  if (request.format) params.set("format", request.format);
  const from = request.from;
  if (from?.kind === "since") {
    params.set("since", String(from.seq));
    if (from.epoch !== undefined) params.set("epoch", from.epoch);
  } else if (from) params.set("replay", from.kind);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The frame of one document. */
export function encodeDocumentFrame(
  seq: number,
  name: DocumentName,
  doc: unknown,
  format: WireFormat,
): string | Uint8Array {
  if (format === "msgpack") return encodeMsgpack({ type: "document", seq, name, doc });
  return `{"type":"document","seq":${seq},"name":${JSON.stringify(name)},"doc":${encodeJson(doc)}}`;
}

/** The frame of a gap or live notice. */
export function encodeNoticeFrame(
  message: Exclude<ServerMessage, { type: "document" }>,
  format: WireFormat,
): string | Uint8Array {
  return format === "msgpack" ? encodeMsgpack(message) : JSON.stringify(message);
}

/** Decodes a frame from the server; throws BusDecodeError for anything else. */
export function decodeServerFrame(data: string | Uint8Array, format: WireFormat): ServerMessage {
  const value =
    typeof data === "string"
      ? decodeBody(Buffer.from(data, "utf8"), "json")
      : decodeBody(data, format);
  if (typeof value !== "object" || value === null) {
    throw new BusDecodeError("a document WebSocket frame that is not an object");
  }
  const message = value as Record<string, unknown>;
  const { type, seq, name, doc, missed, next } = message;
  if (type === "document" && Number.isSafeInteger(seq) && isDocumentName(name)) {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new BusDecodeError(`the ${name} document of frame ${String(seq)} is not an object`);
    }
    return { type, seq: seq as number, name, doc: doc as Record<string, unknown> };
  }
  if (type === "gap" && Number.isSafeInteger(missed) && Number.isSafeInteger(next)) {
    const reason = (
      typeof message["reason"] === "string" ? message["reason"] : "evicted"
    ) as GapReason;
    const text = typeof message["message"] === "string" ? message["message"] : "";
    return { type, missed: missed as number, next: next as number, reason, message: text };
  }
  if (type === "live" && Number.isSafeInteger(next)) {
    const { epoch } = message;
    return typeof epoch === "string"
      ? { type, next: next as number, epoch }
      : { type, next: next as number };
  }
  throw new BusDecodeError(
    `a document WebSocket frame of unknown shape (type ${JSON.stringify(type)})`,
  );
}
