// The CA repeater: receives server beacons on the repeater port and fans them out to the
// clients on this host that registered, since only one socket can own that port.

import { ipToInt } from "../protocol/address.ts";
import { encodeServerMessage } from "../protocol/codec.ts";
import { Command } from "../protocol/commands.ts";
import { splitDatagram } from "../protocol/header.ts";
import type { CaTransport, Peer, UdpSocket } from "../transport.ts";

const PROBE_INTERVAL_MS = 60_000;
const MAX_CLIENTS = 1024;

/** A repeater bound to `port`; `startRepeater` rejects if another process already owns it. */
export class CaRepeater {
  readonly #socket: UdpSocket;
  readonly #transport: CaTransport;
  readonly #clients = new Map<string, Peer>();
  readonly #probe: NodeJS.Timeout;

  private constructor(socket: UdpSocket, transport: CaTransport) {
    this.#socket = socket;
    this.#transport = transport;
    socket.onMessage((data, from) => this.#receive(data, from));
    socket.onError(() => {});
    this.#probe = setInterval(() => void this.#dropGoneClients(), PROBE_INTERVAL_MS);
    this.#probe.unref();
  }

  /**
   * Binds the repeater port; rejects (EADDRINUSE) when a repeater already runs there.
   * `background`: do not keep the process alive (a repeater started by a client).
   */
  static async start(
    transport: CaTransport,
    port: number,
    background = false,
  ): Promise<CaRepeater> {
    const socket = await transport.bindUdp({ port, address: "0.0.0.0", background });
    return new CaRepeater(socket, transport);
  }

  get port(): number {
    return this.#socket.port;
  }

  /** The registered clients, for tests and diagnostics. */
  get clientCount(): number {
    return this.#clients.size;
  }

  #receive(data: Uint8Array, from: Peer): void {
    // Nothing can be sent back to port 0, so such a sender can be neither client nor server.
    if (from.port === 0) return;
    const { messages } = splitDatagram(data);
    for (const msg of messages) {
      if (msg.command === Command.repeaterRegister) {
        if (this.#clients.size < MAX_CLIENTS || this.#clients.has(key(from))) {
          this.#clients.set(key(from), from);
          const confirm = encodeServerMessage({ type: "repeaterConfirm", address: 0x7f000001 });
          this.#socket.send(confirm, from.port, from.address);
        }
      } else if (msg.command === Command.beacon) {
        // A beacon without an address gets the sender's, so clients know which server it is.
        const forwarded = encodeServerMessage({
          type: "beacon",
          minorVersion: msg.dataType,
          port: msg.count,
          beaconId: msg.parameter1,
          address: msg.parameter2 || ipToInt(from.address),
        });
        for (const client of this.#clients.values()) {
          this.#socket.send(forwarded, client.port, client.address);
        }
      }
    }
  }

  /** A client port that can be bound again belongs to a client that exited. */
  async #dropGoneClients(): Promise<void> {
    for (const [id, client] of this.#clients) {
      try {
        const probe = await this.#transport.bindUdp({ port: client.port, address: client.address });
        probe.close();
        this.#clients.delete(id);
      } catch {
        // still bound: the client lives
      }
    }
  }

  close(): void {
    clearInterval(this.#probe);
    this.#socket.close();
  }
}

function key(peer: Peer): string {
  return `${peer.address}:${peer.port}`;
}
