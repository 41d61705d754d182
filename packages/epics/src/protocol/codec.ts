// Typed messages <-> framed bytes, for both directions (sans-IO).
import { CaProtocolError } from "../errors.ts";
import { Command, DO_REPLY, DONT_REPLY } from "./commands.ts";
import { encodeMessage, HEADER_SIZE, type RawMessage } from "./header.ts";
import type { ClientMessage, RequestHeader, ServerMessage } from "./messages.ts";

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** A NUL-terminated string payload (the header encoder pads it). */
function stringPayload(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** The string at the start of `payload`, up to its NUL (or the whole payload). */
export function payloadString(payload: Uint8Array): string {
  const nul = payload.indexOf(0);
  return utf8.decode(nul >= 0 ? payload.subarray(0, nul) : payload);
}

function fields(
  command: number,
  dataType = 0,
  count = 0,
  parameter1 = 0,
  parameter2 = 0,
): Omit<RawMessage, "payload"> {
  return { command, dataType, count, parameter1, parameter2 };
}

function headerOf(raw: RawMessage): RequestHeader {
  const { command, dataType, count, parameter1, parameter2 } = raw;
  return { command, dataType, count, parameter1, parameter2 };
}

/** Encodes a message sent by a client. */
export function encodeClientMessage(msg: ClientMessage): Uint8Array {
  switch (msg.type) {
    case "version":
      return encodeMessage(fields(Command.version, msg.priority, msg.minorVersion));
    case "search":
      return encodeMessage(
        fields(
          Command.search,
          msg.reply ? DO_REPLY : DONT_REPLY,
          msg.minorVersion,
          msg.cid,
          msg.cid,
        ),
        stringPayload(msg.name),
      );
    case "createChan":
      return encodeMessage(
        fields(Command.createChan, 0, 0, msg.cid, msg.minorVersion),
        stringPayload(msg.name),
      );
    case "clearChannel":
      return encodeMessage(fields(Command.clearChannel, 0, 0, msg.sid, msg.cid));
    case "readNotify":
      return encodeMessage(fields(Command.readNotify, msg.dataType, msg.count, msg.sid, msg.ioid));
    case "write":
    case "writeNotify":
      return encodeMessage(
        fields(
          msg.type === "write" ? Command.write : Command.writeNotify,
          msg.dataType,
          msg.count,
          msg.sid,
          msg.ioid,
        ),
        msg.data,
      );
    case "eventAdd": {
      const payload = new Uint8Array(16);
      const view = new DataView(payload.buffer);
      view.setFloat32(0, msg.low);
      view.setFloat32(4, msg.high);
      view.setFloat32(8, msg.to);
      view.setUint16(12, msg.mask);
      return encodeMessage(
        fields(Command.eventAdd, msg.dataType, msg.count, msg.sid, msg.subscriptionId),
        payload,
      );
    }
    case "eventCancel":
      return encodeMessage(
        fields(Command.eventCancel, msg.dataType, msg.count, msg.sid, msg.subscriptionId),
      );
    case "eventsOff":
      return encodeMessage(fields(Command.eventsOff));
    case "eventsOn":
      return encodeMessage(fields(Command.eventsOn));
    case "readSync":
      return encodeMessage(fields(Command.readSync));
    case "echo":
      return encodeMessage(fields(Command.echo));
    case "clientName":
      return encodeMessage(fields(Command.clientName), stringPayload(msg.name));
    case "hostName":
      return encodeMessage(fields(Command.hostName), stringPayload(msg.name));
    case "repeaterRegister":
      return encodeMessage(fields(Command.repeaterRegister, 0, 0, 0, msg.address));
    case "unknown":
      return encodeMessage(msg.header);
  }
}

/** Decodes a message received by a server. Unknown commands come back as "unknown". */
export function decodeClientMessage(raw: RawMessage): ClientMessage {
  const { dataType, count, parameter1: p1, parameter2: p2, payload } = raw;
  switch (raw.command) {
    case Command.version:
      return { type: "version", priority: dataType, minorVersion: count };
    case Command.search:
      return {
        type: "search",
        cid: p1,
        name: payloadString(payload),
        reply: dataType === DO_REPLY,
        minorVersion: count,
      };
    case Command.createChan:
      return { type: "createChan", cid: p1, name: payloadString(payload), minorVersion: p2 };
    case Command.clearChannel:
      return { type: "clearChannel", sid: p1, cid: p2 };
    case Command.readNotify:
      return { type: "readNotify", dataType, count, sid: p1, ioid: p2 };
    case Command.write:
      return { type: "write", dataType, count, sid: p1, ioid: p2, data: payload };
    case Command.writeNotify:
      return { type: "writeNotify", dataType, count, sid: p1, ioid: p2, data: payload };
    case Command.eventAdd: {
      // Very old clients send no payload: then the mask defaults to value|alarm.
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      const full = payload.length >= 14;
      return {
        type: "eventAdd",
        dataType,
        count,
        sid: p1,
        subscriptionId: p2,
        low: full ? view.getFloat32(0) : 0,
        high: full ? view.getFloat32(4) : 0,
        to: full ? view.getFloat32(8) : 0,
        mask: full ? view.getUint16(12) : 5,
      };
    }
    case Command.eventCancel:
      return { type: "eventCancel", dataType, count, sid: p1, subscriptionId: p2 };
    case Command.eventsOff:
      return { type: "eventsOff" };
    case Command.eventsOn:
      return { type: "eventsOn" };
    case Command.readSync:
      return { type: "readSync" };
    case Command.echo:
      return { type: "echo" };
    case Command.clientName:
      return { type: "clientName", name: payloadString(payload) };
    case Command.hostName:
      return { type: "hostName", name: payloadString(payload) };
    case Command.repeaterRegister:
      return { type: "repeaterRegister", address: p2 };
    default:
      return { type: "unknown", header: headerOf(raw) };
  }
}

function errorPayload(request: RequestHeader | undefined, message: string): Uint8Array {
  const text = stringPayload(message);
  const out = new Uint8Array(HEADER_SIZE + text.length);
  if (request) {
    const view = new DataView(out.buffer);
    view.setUint16(0, request.command);
    view.setUint16(4, request.dataType);
    view.setUint16(6, Math.min(request.count, 0xffff));
    view.setUint32(8, request.parameter1 >>> 0);
    view.setUint32(12, request.parameter2 >>> 0);
  }
  out.set(text, HEADER_SIZE);
  return out;
}

/** Encodes a message sent by a server. */
export function encodeServerMessage(msg: ServerMessage): Uint8Array {
  switch (msg.type) {
    case "version":
      return encodeMessage(fields(Command.version, 0, msg.minorVersion));
    case "searchReply": {
      const payload = new Uint8Array(8);
      new DataView(payload.buffer).setUint16(0, msg.minorVersion);
      return encodeMessage(
        fields(Command.search, msg.port, 0, msg.serverAddress, msg.cid),
        payload,
      );
    }
    case "notFound":
      return encodeMessage(fields(Command.notFound, DO_REPLY, msg.minorVersion, msg.cid, msg.cid));
    case "beacon":
      return encodeMessage(
        fields(Command.beacon, msg.minorVersion, msg.port, msg.beaconId, msg.address),
      );
    case "repeaterConfirm":
      return encodeMessage(fields(Command.repeaterConfirm, 0, 0, 0, msg.address));
    case "createChanReply":
      return encodeMessage(fields(Command.createChan, msg.dataType, msg.count, msg.cid, msg.sid));
    case "createChanFail":
      return encodeMessage(fields(Command.createChanFail, 0, 0, msg.cid));
    case "accessRights":
      return encodeMessage(fields(Command.accessRights, 0, 0, msg.cid, msg.rights));
    case "readNotifyReply":
      return encodeMessage(
        fields(Command.readNotify, msg.dataType, msg.count, msg.status, msg.ioid),
        msg.data,
      );
    case "writeNotifyReply":
      return encodeMessage(
        fields(Command.writeNotify, msg.dataType, msg.count, msg.status, msg.ioid),
      );
    case "eventAddReply":
      return encodeMessage(
        fields(Command.eventAdd, msg.dataType, msg.count, msg.status, msg.subscriptionId),
        msg.data,
      );
    case "eventCancelReply":
      return encodeMessage(
        fields(Command.eventAdd, msg.dataType, msg.count, msg.sid, msg.subscriptionId),
      );
    case "error":
      return encodeMessage(
        fields(Command.error, 0, 0, msg.cid, msg.status),
        errorPayload(msg.request, msg.message),
      );
    case "clearChannelReply":
      return encodeMessage(fields(Command.clearChannel, 0, 0, msg.sid, msg.cid));
    case "serverDisconn":
      return encodeMessage(fields(Command.serverDisconn, 0, 0, msg.cid));
    case "echo":
      return encodeMessage(fields(Command.echo));
    case "unknown":
      return encodeMessage(msg.header);
  }
}

function decodeError(raw: RawMessage): ServerMessage {
  const { payload } = raw;
  let request: RequestHeader | undefined;
  if (payload.length >= HEADER_SIZE) {
    const view = new DataView(payload.buffer, payload.byteOffset, HEADER_SIZE);
    request = {
      command: view.getUint16(0),
      dataType: view.getUint16(4),
      count: view.getUint16(6),
      parameter1: view.getUint32(8),
      parameter2: view.getUint32(12),
    };
  }
  const message = payload.length > HEADER_SIZE ? payloadString(payload.subarray(HEADER_SIZE)) : "";
  return { type: "error", cid: raw.parameter1, status: raw.parameter2, request, message };
}

/** Decodes a message received by a client. Unknown commands come back as "unknown". */
export function decodeServerMessage(raw: RawMessage): ServerMessage {
  const { dataType, count, parameter1: p1, parameter2: p2, payload } = raw;
  switch (raw.command) {
    case Command.version:
      return { type: "version", minorVersion: count };
    case Command.search: {
      if (payload.length < 2) throw new CaProtocolError("search reply without a version payload");
      const minorVersion = new DataView(payload.buffer, payload.byteOffset).getUint16(0);
      return { type: "searchReply", port: dataType, serverAddress: p1, cid: p2, minorVersion };
    }
    case Command.notFound:
      return { type: "notFound", cid: p1, minorVersion: count };
    case Command.beacon:
      return { type: "beacon", minorVersion: dataType, port: count, beaconId: p1, address: p2 };
    case Command.repeaterConfirm:
      return { type: "repeaterConfirm", address: p2 };
    case Command.createChan:
      return { type: "createChanReply", cid: p1, sid: p2, dataType, count };
    case Command.createChanFail:
      return { type: "createChanFail", cid: p1 };
    case Command.accessRights:
      return { type: "accessRights", cid: p1, rights: p2 };
    case Command.readNotify:
      return { type: "readNotifyReply", dataType, count, status: p1, ioid: p2, data: payload };
    case Command.writeNotify:
      return { type: "writeNotifyReply", dataType, count, status: p1, ioid: p2 };
    case Command.eventAdd:
      if (payload.length === 0) {
        return { type: "eventCancelReply", dataType, count, sid: p1, subscriptionId: p2 };
      }
      return {
        type: "eventAddReply",
        dataType,
        count,
        status: p1,
        subscriptionId: p2,
        data: payload,
      };
    case Command.error:
      return decodeError(raw);
    case Command.clearChannel:
      return { type: "clearChannelReply", sid: p1, cid: p2 };
    case Command.serverDisconn:
      return { type: "serverDisconn", cid: p1 };
    case Command.echo:
      return { type: "echo" };
    default:
      return { type: "unknown", header: headerOf(raw) };
  }
}
