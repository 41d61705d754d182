// A soft IOC: answers UDP name searches, accepts circuits, sends beacons, serves a PvDatabase.
import { type CaAddress, type CaEnv, type CaServerConfig, serverConfigFromEnv } from "../config.ts";
import { CaServerError } from "../errors.ts";
import { decodeClientMessage, encodeServerMessage } from "../protocol/codec.ts";
import { ADDRESS_FROM_SENDER, CA_MINOR_VERSION, Command } from "../protocol/commands.ts";
import { splitDatagram } from "../protocol/header.ts";
import {
  type CaTransport,
  nodeTransport,
  type Peer,
  type TcpConnection,
  type TcpServer,
  type UdpSocket,
} from "../transport.ts";
import { CircuitHandler } from "./circuit-handler.ts";
import type { ProcessVariable, PvDefinition } from "./process-variable.ts";
import { PvDatabase } from "./pv-database.ts";

export interface SoftIocOptions {
  /** The PVs to serve; default an empty database (add PVs with `add`). */
  database?: PvDatabase;
  transport?: CaTransport;
  /** Where EPICS_CAS_* / EPICS_CA_* variables are read; default process.env. */
  env?: CaEnv;
  /** Overrides of what the environment says. */
  config?: Partial<CaServerConfig>;
  /** TCP port; default the server port when free, else any free port (as RSRV does). */
  tcpPort?: number;
}

const FIRST_BEACON_MS = 20;

/**
 * Serves PVs over Channel Access.
 * @example
 * await using ioc = await startSoftIoc({ env: { EPICS_CAS_INTF_ADDR_LIST: "127.0.0.1" } });
 * ioc.add("DEMO:temperature", { value: 21.5, units: "degC", precision: 1 });
 */
export class SoftIoc {
  readonly database: PvDatabase;
  readonly config: CaServerConfig;
  readonly #transport: CaTransport;
  readonly #tcpPortOption: number | undefined;
  readonly #circuits = new Set<CircuitHandler>();
  #udp: UdpSocket | undefined;
  #tcp: TcpServer | undefined;
  #beaconTimer: NodeJS.Timeout | undefined;
  #beaconId = 0;
  #beaconDestinations: CaAddress[] = [];
  #started = false;
  #closed = false;

  constructor(options: SoftIocOptions = {}) {
    this.database = options.database ?? new PvDatabase();
    this.config = { ...serverConfigFromEnv(options.env ?? process.env), ...options.config };
    this.#transport = options.transport ?? nodeTransport();
    this.#tcpPortOption = options.tcpPort;
  }

  /** Adds a PV (also after start). */
  add(name: string, definition: PvDefinition): ProcessVariable {
    return this.database.add(name, definition);
  }

  /** The TCP port clients connect to (after start). */
  get tcpPort(): number {
    return this.#tcp?.port ?? 0;
  }

  /** The UDP port searches are answered on (after start). */
  get udpPort(): number {
    return this.#udp?.port ?? 0;
  }

  /**
   * The EPICS_CA_* variables a client needs to find this IOC by unicast (after start):
   * its interface, its search port and its beacon port, with no broadcasting.
   */
  clientEnv(): Record<string, string> {
    const address =
      this.config.interfaceAddress === "0.0.0.0" ? "127.0.0.1" : this.config.interfaceAddress;
    return {
      EPICS_CA_ADDR_LIST: address,
      EPICS_CA_AUTO_ADDR_LIST: "NO",
      EPICS_CA_SERVER_PORT: String(this.udpPort),
      EPICS_CA_REPEATER_PORT: String(this.config.beaconPort),
      EPICS_CA_MAX_ARRAY_BYTES: String(this.config.maxArrayBytes),
    };
  }

  /** Clients connected right now. */
  get clientCount(): number {
    return this.#circuits.size;
  }

  /** Binds the sockets and starts beacons; rejects with CaServerError naming the port. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { interfaceAddress: address, serverPort } = this.config;
    const onConnection = (connection: TcpConnection) => this.accept(connection);
    try {
      this.#udp = await this.#transport.bindUdp({ port: serverPort, address, reuseAddr: true });
    } catch (error) {
      throw new CaServerError(
        `cannot bind UDP ${address}:${serverPort} for searches: ${String(error)}`,
        { cause: error },
      );
    }
    this.#udp.onMessage((data, from) => this.#search(data, from));
    this.#udp.onError(() => {});
    const preferred = this.#tcpPortOption ?? serverPort;
    try {
      this.#tcp = await this.#transport.listenTcp({ port: preferred, address }, onConnection);
    } catch (error) {
      if (this.#tcpPortOption !== undefined) {
        this.#udp.close();
        throw new CaServerError(`cannot listen on TCP ${address}:${preferred}: ${String(error)}`, {
          cause: error,
        });
      }
      this.#tcp = await this.#transport.listenTcp({ port: 0, address }, onConnection);
    }
    const destinations = [...this.config.beaconAddrList];
    if (this.config.autoBeaconAddrList) {
      for (const host of this.#transport.broadcastAddresses())
        destinations.push({ host, port: this.config.beaconPort });
    }
    const resolved = await Promise.all(
      destinations.map(async (d) => ({
        host: await this.#transport.lookup(d.host).catch(() => ""),
        port: d.port,
      })),
    );
    this.#beaconDestinations = resolved.filter((d) => d.host !== "");
    this.#beacon(FIRST_BEACON_MS);
  }

  /** @internal Serves one accepted connection (also usable with a custom transport). */
  accept(connection: TcpConnection) {
    if (this.#closed) return connection.destroy();
    const handler = new CircuitHandler({
      connection,
      database: this.database,
      maxArrayBytes: this.config.maxArrayBytes,
      onClose: (h) => this.#circuits.delete(h),
    });
    this.#circuits.add(handler);
  }

  #search(data: Uint8Array, from: Peer): void {
    // No reply can reach port 0 (a forged or broken sender): ignore it.
    if (from.port === 0) return;
    const { messages } = splitDatagram(data);
    const replies: Uint8Array[] = [];
    for (const raw of messages) {
      if (raw.command !== Command.search) continue;
      const msg = decodeClientMessage(raw);
      if (msg.type !== "search") continue;
      if (this.database.get(msg.name)) {
        replies.push(
          encodeServerMessage({
            type: "searchReply",
            port: this.tcpPort,
            serverAddress: ADDRESS_FROM_SENDER,
            cid: msg.cid,
            minorVersion: CA_MINOR_VERSION,
          }),
        );
      } else if (msg.reply) {
        replies.push(
          encodeServerMessage({ type: "notFound", cid: msg.cid, minorVersion: msg.minorVersion }),
        );
      }
    }
    if (replies.length === 0) return;
    const version = encodeServerMessage({ type: "version", minorVersion: CA_MINOR_VERSION });
    this.#udp?.send(Buffer.concat([version, ...replies]), from.port, from.address);
  }

  /** Beacons go out fast after start, then every beacon period. */
  #beacon(delayMs: number): void {
    if (this.#closed) return;
    const beacon = encodeServerMessage({
      type: "beacon",
      minorVersion: CA_MINOR_VERSION,
      port: this.tcpPort,
      beaconId: this.#beaconId,
      address: 0,
    });
    this.#beaconId = (this.#beaconId + 1) >>> 0;
    for (const to of this.#beaconDestinations) this.#udp?.send(beacon, to.port, to.host);
    const next = Math.min(delayMs * 2, this.config.beaconPeriod * 1000);
    this.#beaconTimer = setTimeout(() => this.#beacon(next), delayMs);
    this.#beaconTimer.unref();
  }

  /** Disconnects every client and releases the ports. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#beaconTimer) clearTimeout(this.#beaconTimer);
    for (const circuit of [...this.#circuits]) circuit.close();
    this.#udp?.close();
    await this.#tcp?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Creates and starts a soft IOC. */
export async function startSoftIoc(options: SoftIocOptions = {}): Promise<SoftIoc> {
  const ioc = new SoftIoc(options);
  try {
    await ioc.start();
  } catch (error) {
    await ioc.close();
    throw error;
  }
  return ioc;
}
