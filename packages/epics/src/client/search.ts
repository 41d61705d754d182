// UDP name resolution: batched CA_PROTO_SEARCH datagrams with exponential backoff, replies
// matched by cid, and beacons (through the repeater) to search again when a server appears.
import type { CaAddress, CaClientConfig } from "../config.ts";
import { intToIp } from "../protocol/address.ts";
import { decodeServerMessage, encodeClientMessage } from "../protocol/codec.ts";
import { ADDRESS_FROM_SENDER, CA_MINOR_VERSION } from "../protocol/commands.ts";
import { splitDatagram } from "../protocol/header.ts";
import type { CaTransport, Peer, UdpSocket } from "../transport.ts";
import { BeaconTracker } from "./beacons.ts";
import { CaRepeater } from "./repeater.ts";

/** Where a PV was found. */
export interface SearchResult {
  cid: number;
  address: string;
  port: number;
  minorVersion: number;
}

interface Pending {
  name: string;
  periodMs: number;
  dueMs: number;
}

const FIRST_PERIOD_MS = 32;
const MAX_DATAGRAM = 1024;
const MAX_DATAGRAMS_PER_TICK = 64;
const REGISTER_RETRY_MS = 1000;

export interface SearchEngineOptions {
  transport: CaTransport;
  config: CaClientConfig;
  onFound: (result: SearchResult) => void;
  /** Register with (or start) a repeater to hear beacons. */
  beacons: boolean;
}

/** Finds which server serves each name. */
export class SearchEngine {
  readonly #options: SearchEngineOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #beacons = new BeaconTracker();
  #socket: UdpSocket | undefined;
  #destinations: CaAddress[] = [];
  #timer: NodeJS.Timeout | undefined;
  #registerTimer: NodeJS.Timeout | undefined;
  #repeater: CaRepeater | undefined;
  #registered = false;
  #closed = false;

  constructor(options: SearchEngineOptions) {
    this.#options = options;
  }

  /** Binds the UDP socket and resolves the address list. */
  async start(): Promise<void> {
    const { transport, config } = this.#options;
    const socket = await transport.bindUdp({ port: 0, address: "0.0.0.0", background: true });
    if (this.#closed) return socket.close();
    this.#socket = socket;
    socket.onMessage((data, from) => this.#receive(data, from));
    socket.onError(() => {}); // an unreachable address must not stop the other searches
    const list = [...config.addrList];
    if (config.autoAddrList) {
      for (const host of transport.broadcastAddresses())
        list.push({ host, port: config.serverPort });
    }
    const resolved = await Promise.all(
      list.map(async (a) => ({
        host: await transport.lookup(a.host).catch(() => ""),
        port: a.port,
      })),
    );
    this.#destinations = resolved.filter((a) => a.host !== "");
    if (this.#options.beacons) this.#register(true);
    this.#schedule();
  }

  /** Why nothing can be found, when the address list is empty. */
  get problem(): string | undefined {
    if (this.#socket && this.#destinations.length === 0) {
      return "nowhere to search: EPICS_CA_ADDR_LIST is empty and EPICS_CA_AUTO_ADDR_LIST=NO";
    }
    return undefined;
  }

  /** True once a repeater confirmed our registration (beacons will arrive). */
  get hearsBeacons(): boolean {
    return this.#registered;
  }

  /** Starts searching for `name` now. */
  add(cid: number, name: string): void {
    this.#pending.set(cid, { name, periodMs: FIRST_PERIOD_MS, dueMs: Date.now() });
    this.#schedule();
  }

  remove(cid: number): void {
    this.#pending.delete(cid);
  }

  /** Searches for every missing name again now (a server appeared or restarted). */
  searchAllNow(): void {
    const now = Date.now();
    for (const entry of this.#pending.values()) {
      entry.periodMs = FIRST_PERIOD_MS;
      entry.dueMs = now;
    }
    this.#schedule();
  }

  #schedule(): void {
    if (!this.#socket || this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.#pending.values()) next = Math.min(next, entry.dueMs);
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, next - Date.now()));
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = undefined;
    const now = Date.now();
    const due = [...this.#pending.entries()]
      .filter(([, e]) => e.dueMs <= now)
      .sort((a, b) => a[1].dueMs - b[1].dueMs);
    const datagrams: Uint8Array[][] = [];
    let current: Uint8Array[] = [];
    let size = 0;
    const version = encodeClientMessage({
      type: "version",
      priority: 0,
      minorVersion: CA_MINOR_VERSION,
    });
    const maxPeriod = this.#options.config.maxSearchPeriod * 1000;
    for (const [cid, entry] of due) {
      if (datagrams.length >= MAX_DATAGRAMS_PER_TICK) {
        entry.dueMs = now + 10; // the rest goes out shortly, not in one burst
        continue;
      }
      const search = encodeClientMessage({
        type: "search",
        cid,
        name: entry.name,
        reply: false,
        minorVersion: CA_MINOR_VERSION,
      });
      if (current.length > 0 && size + search.length > MAX_DATAGRAM) {
        datagrams.push(current);
        current = [];
      }
      if (current.length === 0) {
        current.push(version);
        size = version.length;
      }
      current.push(search);
      size += search.length;
      entry.dueMs = now + entry.periodMs;
      entry.periodMs = Math.min(entry.periodMs * 2, maxPeriod);
    }
    if (current.length > 0) datagrams.push(current);
    for (const parts of datagrams) {
      const datagram = Buffer.concat(parts);
      for (const to of this.#destinations) this.#socket?.send(datagram, to.port, to.host);
    }
    this.#schedule();
  }

  #receive(data: Uint8Array, from: Peer): void {
    const { messages } = splitDatagram(data);
    for (const raw of messages) {
      let msg: ReturnType<typeof decodeServerMessage>;
      try {
        msg = decodeServerMessage(raw);
      } catch {
        continue; // a malformed reply is ignored like a lost one
      }
      if (msg.type === "searchReply") {
        const entry = this.#pending.get(msg.cid);
        if (!entry) continue; // a duplicate, or a name no longer wanted
        this.#pending.delete(msg.cid);
        const address =
          msg.serverAddress === ADDRESS_FROM_SENDER || msg.serverAddress === 0
            ? from.address
            : intToIp(msg.serverAddress);
        this.#options.onFound({
          cid: msg.cid,
          address,
          port: msg.port,
          minorVersion: msg.minorVersion,
        });
      } else if (msg.type === "beacon") {
        const address = msg.address === 0 ? from.address : intToIp(msg.address);
        if (this.#beacons.observe(`${address}:${msg.port}`, msg.beaconId, Date.now())) {
          this.searchAllNow();
        }
      } else if (msg.type === "repeaterConfirm") {
        this.#registered = true;
      }
    }
  }

  /** Registers with the repeater on this host, starting one in-process if none answers. */
  #register(first: boolean): void {
    if (this.#closed || this.#registered || !this.#socket) return;
    const port = this.#options.config.repeaterPort;
    const message = encodeClientMessage({ type: "repeaterRegister", address: 0x7f000001 });
    this.#socket.send(message, port, "127.0.0.1");
    this.#registerTimer = setTimeout(
      async () => {
        if (this.#registered || this.#closed) return;
        if (first && !this.#repeater) {
          this.#repeater = await CaRepeater.start(this.#options.transport, port, true).catch(
            () => undefined,
          );
          if (this.#closed) this.#repeater?.close();
        }
        this.#register(false);
      },
      REGISTER_RETRY_MS / (first ? 4 : 1),
    );
    this.#registerTimer.unref();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#registerTimer) clearTimeout(this.#registerTimer);
    this.#pending.clear();
    this.#socket?.close();
    this.#repeater?.close();
  }
}
