// A virtual circuit: one TCP connection to one server, shared by all channels on it.
import type { CaClientConfig } from "../config.ts";
import { CaDisconnectedError, CaMessageTooLargeError, CaStatusError } from "../errors.ts";
import { decodeServerMessage, encodeClientMessage } from "../protocol/codec.ts";
import { CA_MINOR_VERSION, Command } from "../protocol/commands.ts";
import { dbrName } from "../protocol/dbr-types.ts";
import { type FramedMessage, MessageReader } from "../protocol/header.ts";
import type { ClientMessage, ServerMessage } from "../protocol/messages.ts";
import type { CaTransport, TcpConnection } from "../transport.ts";

/** What a channel hears from its circuit. */
export interface ChannelEvents {
  onCreated(sid: number, dataType: number, count: number, minorVersion: number): void;
  onAccessRights(rights: number): void;
  onCreateFailed(): void;
  /** The server dropped the channel (the PV went away) or the circuit died. */
  onDisconnected(): void;
  /** A put without notification was refused by the server. */
  onWriteFailed(error: Error): void;
}

/** What a subscription hears from its circuit. */
export interface SubscriptionEvents {
  onUpdate(dataType: number, count: number, data: Uint8Array): void;
  onError(error: Error): void;
}

/** The reply to a read or write with notification. */
export interface IoReply {
  dataType: number;
  count: number;
  data: Uint8Array;
}

interface PendingIo {
  pv: string;
  operation: string;
  resolve: (reply: IoReply) => void;
  reject: (error: Error) => void;
}

/** Extra bytes allowed over maxArrayBytes for the DBR structure around the array. */
const STRUCT_OVERHEAD = 1024;

export interface CircuitOptions {
  transport: CaTransport;
  config: CaClientConfig;
  address: string;
  port: number;
  clientName: string;
  hostName: string;
  onClosed: (circuit: Circuit) => void;
}

/** One TCP connection to a server, multiplexing channels, IO requests and subscriptions. */
export class Circuit {
  readonly address: string;
  readonly port: number;
  readonly #options: CircuitOptions;
  readonly #reader: MessageReader;
  readonly #channels = new Map<number, { name: string; events: ChannelEvents }>();
  readonly #io = new Map<number, PendingIo>();
  readonly #subscriptions = new Map<number, { pv: string; events: SubscriptionEvents }>();
  #connection: TcpConnection | undefined;
  #connecting: Promise<void> | undefined;
  #nextIoid = 1;
  #minorVersion = 0;
  #lastReceived = Date.now();
  #echoSentAt: number | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: CircuitOptions) {
    this.#options = options;
    this.address = options.address;
    this.port = options.port;
    this.#reader = new MessageReader(options.config.maxArrayBytes + STRUCT_OVERHEAD);
  }

  get key(): string {
    return `${this.address}:${this.port}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Opens the TCP connection and sends the version handshake; idempotent. */
  connect(): Promise<void> {
    this.#connecting ??= this.#open();
    return this.#connecting;
  }

  async #open(): Promise<void> {
    const { transport, clientName, hostName } = this.#options;
    let connection: TcpConnection;
    try {
      connection = await transport.connectTcp(this.address, this.port);
    } catch (error) {
      this.#shutdown();
      throw error;
    }
    if (this.#closed) return connection.destroy();
    this.#connection = connection;
    connection.onData((chunk) => this.#receive(chunk));
    connection.onClose(() => this.#shutdown());
    this.#send({ type: "version", priority: 0, minorVersion: CA_MINOR_VERSION });
    this.#send({ type: "hostName", name: hostName });
    this.#send({ type: "clientName", name: clientName });
    this.#startWatchdog();
  }

  /** Sends one message (dropped when the connection is gone: its owner hears of it). */
  #send(message: ClientMessage): void {
    this.#connection?.write(encodeClientMessage(message));
  }

  /** Creates a channel on this circuit; `events` receives its lifecycle. */
  attach(cid: number, name: string, events: ChannelEvents): void {
    if (this.#closed) {
      queueMicrotask(() => events.onDisconnected());
      return;
    }
    this.#channels.set(cid, { name, events });
    this.#send({ type: "createChan", cid, name, minorVersion: CA_MINOR_VERSION });
  }

  /** Removes a channel; clears it on the server when it had been created there. */
  detach(cid: number, sid: number | undefined): void {
    if (!this.#channels.delete(cid)) return;
    if (sid !== undefined) this.#send({ type: "clearChannel", sid, cid });
    if (this.#channels.size === 0) this.close();
  }

  /** Sends a request that gets no reply (write, event cancel...). */
  send(message: ClientMessage): void {
    this.#send(message);
  }

  /** Sends a read or write with notification; the promise settles with the reply. */
  request(
    build: (ioid: number) => ClientMessage,
    context: { pv: string; operation: string },
  ): { ioid: number; reply: Promise<IoReply> } {
    const ioid = this.#nextIoid;
    this.#nextIoid = (this.#nextIoid + 1) >>> 0 || 1;
    const reply = new Promise<IoReply>((resolve, reject) => {
      this.#io.set(ioid, { ...context, resolve, reject });
    });
    this.#send(build(ioid));
    return { ioid, reply };
  }

  /** Forgets a pending request (it timed out); a late reply is then ignored. */
  forget(ioid: number): void {
    this.#io.delete(ioid);
  }

  subscribe(subscriptionId: number, pv: string, events: SubscriptionEvents): void {
    this.#subscriptions.set(subscriptionId, { pv, events });
  }

  unsubscribe(subscriptionId: number): void {
    this.#subscriptions.delete(subscriptionId);
  }

  #receive(chunk: Uint8Array): void {
    this.#lastReceived = Date.now();
    this.#echoSentAt = undefined;
    const framed: FramedMessage[] = this.#reader.push(chunk);
    for (const raw of framed) {
      if ("oversized" in raw) {
        this.#oversized(raw.command, raw.parameter2, raw.dataType, raw.payloadSize);
        continue;
      }
      let message: ServerMessage;
      try {
        message = decodeServerMessage(raw);
      } catch {
        continue; // a malformed message affects nobody we could tell
      }
      this.#dispatch(message);
    }
  }

  #oversized(command: number, id: number, dataType: number, bytes: number): void {
    const limit = this.#options.config.maxArrayBytes;
    const what = `a ${dbrName(dataType)} reply`;
    if (command === Command.readNotify) {
      const io = this.#io.get(id);
      this.#io.delete(id);
      io?.reject(
        new CaMessageTooLargeError(`${io.operation} of PV "${io.pv}": ${what}`, bytes, limit),
      );
    } else if (command === Command.eventAdd) {
      const sub = this.#subscriptions.get(id);
      sub?.events.onError(
        new CaMessageTooLargeError(`monitor of PV "${sub.pv}": ${what}`, bytes, limit),
      );
    }
  }

  #dispatch(message: ServerMessage): void {
    switch (message.type) {
      case "version":
        this.#minorVersion = message.minorVersion;
        return;
      case "createChanReply":
        this.#channels
          .get(message.cid)
          ?.events.onCreated(message.sid, message.dataType, message.count, this.#minorVersion);
        return;
      case "accessRights":
        this.#channels.get(message.cid)?.events.onAccessRights(message.rights);
        return;
      case "createChanFail":
        this.#channels.get(message.cid)?.events.onCreateFailed();
        return;
      case "serverDisconn":
        this.#channels.get(message.cid)?.events.onDisconnected();
        return;
      case "readNotifyReply":
      case "writeNotifyReply": {
        const io = this.#io.get(message.ioid);
        if (!io) return;
        this.#io.delete(message.ioid);
        if (message.status & 1) {
          const data = message.type === "readNotifyReply" ? message.data : new Uint8Array(0);
          io.resolve({ dataType: message.dataType, count: message.count, data });
        } else io.reject(new CaStatusError(io.pv, io.operation, message.status));
        return;
      }
      case "eventAddReply": {
        const sub = this.#subscriptions.get(message.subscriptionId);
        if (!sub) return;
        if (message.status & 1) sub.events.onUpdate(message.dataType, message.count, message.data);
        else sub.events.onError(new CaStatusError(sub.pv, "monitor", message.status));
        return;
      }
      case "eventCancelReply":
        // An update with an empty payload (a zero-length array) looks the same.
        this.#subscriptions
          .get(message.subscriptionId)
          ?.events.onUpdate(message.dataType, 0, new Uint8Array(0));
        return;
      case "error":
        this.#serverError(message);
        return;
      case "echo":
      case "clearChannelReply":
      case "searchReply":
      case "notFound":
      case "beacon":
      case "repeaterConfirm":
      case "unknown":
        return;
    }
  }

  #serverError(message: Extract<ServerMessage, { type: "error" }>): void {
    const request = message.request;
    if (!request) return;
    const detail = message.message;
    if (request.command === Command.readNotify || request.command === Command.writeNotify) {
      const io = this.#io.get(request.parameter2);
      if (!io) return;
      this.#io.delete(request.parameter2);
      io.reject(new CaStatusError(io.pv, io.operation, message.status, detail));
    } else if (request.command === Command.eventAdd) {
      const sub = this.#subscriptions.get(request.parameter2);
      sub?.events.onError(new CaStatusError(sub.pv, "monitor", message.status, detail));
    } else if (request.command === Command.createChan) {
      this.#channels.get(message.cid)?.events.onCreateFailed();
    } else if (request.command === Command.write) {
      const channel = this.#channels.get(message.cid);
      channel?.events.onWriteFailed(new CaStatusError(channel.name, "put", message.status, detail));
    }
  }

  /** Probes a silent circuit with an echo and drops it when the echo is not answered. */
  #startWatchdog(): void {
    const timeoutMs = this.#options.config.connTimeout * 1000;
    const periodMs = Math.max(25, timeoutMs / 4);
    let lastTick = Date.now();
    this.#watchdog = setInterval(() => {
      const now = Date.now();
      // A tick this late means this process was not running (busy or descheduled): timers run
      // before sockets are read, so an answer that came meanwhile is still unread. Judge on
      // the next tick, after it has been read.
      const stalled = now - lastTick > 2 * periodMs;
      lastTick = now;
      if (stalled) return;
      if (this.#echoSentAt !== undefined && now - this.#echoSentAt >= timeoutMs) {
        this.#connection?.destroy(); // unresponsive: channels reconnect through search
        this.#shutdown();
      } else if (this.#echoSentAt === undefined && now - this.#lastReceived >= timeoutMs) {
        this.#echoSentAt = now;
        this.#send({ type: "echo" });
      }
    }, periodMs);
    this.#watchdog.unref();
  }

  #shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#watchdog) clearInterval(this.#watchdog);
    const io = [...this.#io.values()];
    this.#io.clear();
    for (const pending of io)
      pending.reject(new CaDisconnectedError(pending.pv, pending.operation));
    const channels = [...this.#channels.values()];
    this.#channels.clear();
    this.#subscriptions.clear();
    for (const channel of channels) channel.events.onDisconnected();
    this.#options.onClosed(this);
  }

  /** Closes the connection (after flushing) and disconnects every channel on it. */
  close(): void {
    this.#connection?.close();
    this.#shutdown();
  }
}
