// The server side of one virtual circuit: channels, reads, writes and monitors of one client.
// Nothing a client sends can crash it: bad requests get CA error replies, oversized ones are
// skipped, and a client that stops reading loses monitor updates, then the connection.
import { CaError } from "../errors.ts";
import { decodeClientMessage, encodeServerMessage } from "../protocol/codec.ts";
import { AccessRight, CA_MINOR_VERSION, Command, EventMask } from "../protocol/commands.ts";
import { decodeDbr } from "../protocol/dbr.ts";
import { dbrSize, isValidDbrCode } from "../protocol/dbr-types.ts";
import { Eca } from "../protocol/eca.ts";
import { MessageReader, type RawMessage } from "../protocol/header.ts";
import type { ClientMessage, RequestHeader, ServerMessage } from "../protocol/messages.ts";
import type { TcpConnection } from "../transport.ts";
import type { ProcessVariable } from "./process-variable.ts";
import type { PvDatabase } from "./pv-database.ts";

interface ServedChannel {
  cid: number;
  pv: ProcessVariable;
  unobserve: () => void;
  /** The access rights last sent for this channel. */
  rights: number;
}

interface Subscription {
  sid: number;
  dataType: number;
  count: number;
  mask: number;
  /** An update was held back while the client was not reading. */
  pending: boolean;
}

export interface CircuitHandlerOptions {
  connection: TcpConnection;
  database: PvDatabase;
  maxArrayBytes: number;
  onClose: (handler: CircuitHandler) => void;
}

/** Serves one client connection. */
export class CircuitHandler {
  readonly #connection: TcpConnection;
  readonly #database: PvDatabase;
  readonly #maxArrayBytes: number;
  readonly #reader: MessageReader;
  readonly #channels = new Map<number, ServedChannel>();
  readonly #subscriptions = new Map<number, Subscription>();
  readonly #stopRemovalWatch: () => void;
  readonly #onClose: (handler: CircuitHandler) => void;
  /** Queued output beyond which a client that does not read is dropped. */
  readonly #maxQueued: number;
  /** Queued output beyond which monitor updates are coalesced until the client catches up. */
  readonly #congestionBytes: number;
  #nextSid = 1;
  #eventsOff = false;
  #congested = false;
  #closed = false;
  clientName = "";
  hostName = "";

  constructor(options: CircuitHandlerOptions) {
    this.#connection = options.connection;
    this.#database = options.database;
    this.#maxArrayBytes = options.maxArrayBytes;
    this.#onClose = options.onClose;
    this.#maxQueued = Math.max(16 * 1024 * 1024, 4 * options.maxArrayBytes);
    this.#congestionBytes = Math.max(1024 * 1024, 2 * options.maxArrayBytes);
    this.#reader = new MessageReader(options.maxArrayBytes + 1024);
    this.#stopRemovalWatch = options.database.onRemove((pv) => this.#pvRemoved(pv));
    this.#connection.onData((chunk) => this.#receive(chunk));
    this.#connection.onDrain(() => this.#drained());
    this.#connection.onClose(() => this.#shutdown());
    this.#send({ type: "version", minorVersion: CA_MINOR_VERSION });
  }

  get channelCount(): number {
    return this.#channels.size;
  }

  #send(message: ServerMessage): void {
    if (this.#closed) return;
    this.#connection.write(encodeServerMessage(message));
    const queued = this.#connection.pending;
    if (queued > this.#congestionBytes) this.#congested = true;
    if (queued > this.#maxQueued) this.close();
  }

  #error(request: RequestHeader, cid: number, status: number, message: string): void {
    this.#send({ type: "error", cid, status, request, message });
  }

  #receive(chunk: Uint8Array): void {
    for (const raw of this.#reader.push(chunk)) {
      if (this.#closed) return;
      if ("oversized" in raw) {
        this.#oversized(raw, raw.payloadSize);
        continue;
      }
      try {
        this.#handle(decodeClientMessage(raw), raw);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        this.#error(raw, 0, error instanceof CaError ? Eca.badType : Eca.internal, text);
      }
    }
  }

  #oversized(header: RequestHeader, bytes: number): void {
    const text = `message of ${bytes} bytes exceeds EPICS_CA_MAX_ARRAY_BYTES=${this.#maxArrayBytes}`;
    if (header.command === Command.writeNotify) {
      const { dataType, count, parameter2: ioid } = header;
      this.#send({ type: "writeNotifyReply", dataType, count, status: Eca.tooLarge, ioid });
    } else this.#error(header, 0, Eca.tooLarge, text);
  }

  #handle(msg: ClientMessage, raw: RawMessage) {
    switch (msg.type) {
      case "version":
      case "readSync":
      case "search":
      case "repeaterRegister":
        return;
      case "hostName":
        this.hostName = msg.name.slice(0, 256);
        return;
      case "clientName":
        this.clientName = msg.name.slice(0, 256);
        return;
      case "echo":
        return this.#send({ type: "echo" });
      case "createChan":
        return this.#createChannel(msg.cid, msg.name);
      case "clearChannel": {
        const channel = this.#channels.get(msg.sid);
        if (!channel)
          return this.#error(raw, msg.cid, Eca.badChid, `no channel with sid ${msg.sid}`);
        this.#dropChannel(msg.sid);
        return this.#send({ type: "clearChannelReply", sid: msg.sid, cid: msg.cid });
      }
      case "readNotify":
        return this.#read(msg, raw);
      case "write":
      case "writeNotify":
        return this.#write(msg, raw);
      case "eventAdd":
        return this.#subscribe(msg, raw);
      case "eventCancel": {
        const sub = this.#subscriptions.get(msg.subscriptionId);
        if (!sub || sub.sid !== msg.sid) return;
        this.#subscriptions.delete(msg.subscriptionId);
        const { dataType, count } = sub;
        return this.#send({
          type: "eventCancelReply",
          dataType,
          count,
          sid: msg.sid,
          subscriptionId: msg.subscriptionId,
        });
      }
      case "eventsOff":
        this.#eventsOff = true;
        return;
      case "eventsOn":
        this.#eventsOff = false;
        for (const [id, sub] of this.#subscriptions) if (sub.pending) this.#post(id, sub);
        return;
      case "unknown":
        return this.#error(raw, 0, Eca.internal, `unknown command ${msg.header.command}`);
    }
  }

  #createChannel(cid: number, name: string) {
    const pv = this.#database.get(name);
    if (!pv) return this.#send({ type: "createChanFail", cid });
    const sid = this.#nextSid;
    this.#nextSid = (this.#nextSid + 1) >>> 0 || 1;
    const unobserve = pv.observe((mask) => this.#changed(sid, mask));
    const rights = rightsOf(pv);
    this.#channels.set(sid, { cid, pv, unobserve, rights });
    this.#send({ type: "accessRights", cid, rights });
    this.#send({ type: "createChanReply", cid, sid, dataType: pv.nativeType, count: pv.maxCount });
  }

  #dropChannel(sid: number): void {
    const channel = this.#channels.get(sid);
    if (!channel) return;
    channel.unobserve();
    this.#channels.delete(sid);
    for (const [id, sub] of this.#subscriptions)
      if (sub.sid === sid) this.#subscriptions.delete(id);
  }

  #pvRemoved(pv: ProcessVariable): void {
    for (const [sid, channel] of this.#channels) {
      if (channel.pv !== pv) continue;
      this.#dropChannel(sid);
      this.#send({ type: "serverDisconn", cid: channel.cid });
    }
  }

  /** Checks a request's type and size; sends the error and returns undefined when bad. */
  #encode(
    pv: ProcessVariable,
    dataType: number,
    count: number,
  ): { data: Uint8Array; count: number } | number {
    if (!isValidDbrCode(dataType)) return Eca.badType;
    if (count > pv.maxCount) return Eca.badCount;
    if (dbrSize(dataType, count || pv.array.length) > this.#maxArrayBytes) return Eca.tooLarge;
    try {
      return pv.encode(dataType, count);
    } catch {
      return Eca.noConvert;
    }
  }

  #read(msg: Extract<ClientMessage, { type: "readNotify" }>, raw: RawMessage) {
    const channel = this.#channels.get(msg.sid);
    if (!channel) return this.#error(raw, 0, Eca.badChid, `no channel with sid ${msg.sid}`);
    const encoded = this.#encode(channel.pv, msg.dataType, msg.count);
    if (typeof encoded === "number") {
      // The reply carries the failure so that libca fails just this get.
      const { dataType, count, ioid } = msg;
      return this.#send({
        type: "readNotifyReply",
        dataType,
        count,
        status: encoded,
        ioid,
        data: new Uint8Array(0),
      });
    }
    const { dataType, ioid } = msg;
    this.#send({
      type: "readNotifyReply",
      dataType,
      count: encoded.count,
      status: Eca.normal,
      ioid,
      data: encoded.data,
    });
  }

  #write(msg: Extract<ClientMessage, { type: "write" | "writeNotify" }>, raw: RawMessage) {
    const channel = this.#channels.get(msg.sid);
    const { dataType, count, ioid } = msg;
    const fail = (status: number, text: string) => {
      if (msg.type === "writeNotify")
        this.#send({ type: "writeNotifyReply", dataType, count, status, ioid });
      else this.#error(raw, channel?.cid ?? 0, status, text);
    };
    if (!channel) return fail(Eca.badChid, `no channel with sid ${msg.sid}`);
    const { pv } = channel;
    if (!pv.writable) return fail(Eca.noWtAccess, `PV "${pv.name}" is read-only`);
    if (!isValidDbrCode(dataType)) return fail(Eca.badType, `bad DBR type ${dataType}`);
    if (count > pv.maxCount || count === 0) {
      return fail(Eca.badCount, `PV "${pv.name}" takes 1..${pv.maxCount} elements, got ${count}`);
    }
    let value: ReturnType<ProcessVariable["fromClient"]>;
    try {
      value = pv.fromClient(decodeDbr(dataType, count, msg.data).value, dataType);
    } catch (error) {
      return fail(Eca.noConvert, error instanceof Error ? error.message : String(error));
    }
    let done: Promise<void>;
    try {
      done = pv.put(value);
    } catch (error) {
      done = Promise.reject(error);
    }
    done.then(
      () => {
        if (msg.type === "writeNotify")
          this.#send({ type: "writeNotifyReply", dataType, count, status: Eca.normal, ioid });
      },
      (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        // ECA_PUTFAIL carries no text: the reason is only seen on the IOC's side.
        if (msg.type === "writeNotify") {
          const who = [this.clientName, this.hostName].filter(Boolean).join("@") || "a client";
          process.emitWarning(`put of PV "${pv.name}" by ${who} failed: ${text}`, "CaPutWarning");
        }
        fail(Eca.putFail, text);
      },
    );
  }

  #subscribe(msg: Extract<ClientMessage, { type: "eventAdd" }>, raw: RawMessage) {
    const channel = this.#channels.get(msg.sid);
    if (!channel) return this.#error(raw, 0, Eca.badChid, `no channel with sid ${msg.sid}`);
    if (msg.mask === 0) return this.#error(raw, channel.cid, Eca.badMask, "event mask is empty");
    const sub: Subscription = {
      sid: msg.sid,
      dataType: msg.dataType,
      count: msg.count,
      mask: msg.mask,
      pending: false,
    };
    const check = this.#encode(channel.pv, msg.dataType, msg.count);
    if (typeof check === "number") return this.#error(raw, channel.cid, check, "monitor refused");
    this.#subscriptions.set(msg.subscriptionId, sub);
    this.#post(msg.subscriptionId, sub);
  }

  #changed(sid: number, mask: number): void {
    const channel = this.#channels.get(sid);
    if (channel && (mask & EventMask.property) !== 0) {
      // Rights changed at runtime reach the client as an IOC sends them: a fresh message.
      const rights = rightsOf(channel.pv);
      if (rights !== channel.rights) {
        channel.rights = rights;
        this.#send({ type: "accessRights", cid: channel.cid, rights });
      }
    }
    for (const [id, sub] of this.#subscriptions) {
      if (sub.sid === sid && (sub.mask & mask) !== 0) this.#post(id, sub);
    }
  }

  /** Sends the current value to one subscription, or marks it pending while congested. */
  #post(id: number, sub: Subscription) {
    if (this.#eventsOff || this.#congested) {
      sub.pending = true;
      return;
    }
    sub.pending = false;
    const channel = this.#channels.get(sub.sid);
    if (!channel) return;
    const encoded = this.#encode(channel.pv, sub.dataType, sub.count);
    if (typeof encoded === "number") {
      const request = {
        command: Command.eventAdd,
        dataType: sub.dataType,
        count: sub.count,
        parameter1: sub.sid,
        parameter2: id,
      };
      return this.#error(request, channel.cid, encoded, "monitor update failed");
    }
    this.#send({
      type: "eventAddReply",
      dataType: sub.dataType,
      count: encoded.count,
      status: Eca.normal,
      subscriptionId: id,
      data: encoded.data,
    });
  }

  #drained(): void {
    this.#congested = false;
    for (const [id, sub] of this.#subscriptions)
      if (sub.pending && !this.#congested) this.#post(id, sub);
  }

  #shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopRemovalWatch();
    for (const channel of this.#channels.values()) channel.unobserve();
    this.#channels.clear();
    this.#subscriptions.clear();
    this.#onClose(this);
  }

  /** Drops the client. */
  close(): void {
    this.#connection.destroy();
    this.#shutdown();
  }
}

function rightsOf(pv: ProcessVariable): number {
  return AccessRight.read | (pv.writable ? AccessRight.write : 0);
}
