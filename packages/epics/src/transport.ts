// The only file that touches sockets. Clients and servers receive a CaTransport, so tests
// and embedders can substitute their own; `nodeTransport()` builds the real one.
import { createSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { createConnection, createServer, isIPv4, type Socket } from "node:net";
import { hostname, networkInterfaces, userInfo } from "node:os";

/** Where a datagram came from. */
export interface Peer {
  address: string;
  port: number;
}

/** A bound UDP socket. */
export interface UdpSocket {
  readonly port: number;
  /** Sends a datagram; failures (unreachable host...) are reported to `onError`, never thrown. */
  send(data: Uint8Array, port: number, host: string): void;
  onMessage(handler: (data: Uint8Array, from: Peer) => void): void;
  onError(handler: (error: Error) => void): void;
  close(): void;
}

/** One TCP connection. */
export interface TcpConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Queues bytes; false once the kernel buffer is full (wait for `onDrain`). */
  write(data: Uint8Array): boolean;
  /** Bytes queued but not yet handed to the kernel. */
  readonly pending: number;
  onData(handler: (chunk: Uint8Array) => void): void;
  onDrain(handler: () => void): void;
  /** Called once, when the connection is gone (with the error, if one closed it). */
  onClose(handler: (error?: Error) => void): void;
  /** Flushes what is queued, then closes. */
  close(): void;
  /** Closes at once, dropping what is queued. */
  destroy(): void;
}

/** A listening TCP server. */
export interface TcpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** What Channel Access needs from the network and the host. */
export interface CaTransport {
  /** Binds a UDP socket; `background` ones do not keep the process alive (client searches). */
  bindUdp(options: {
    port: number;
    address: string;
    reuseAddr?: boolean;
    background?: boolean;
  }): Promise<UdpSocket>;
  connectTcp(host: string, port: number): Promise<TcpConnection>;
  listenTcp(
    options: { port: number; address: string },
    onConnection: (connection: TcpConnection) => void,
  ): Promise<TcpServer>;
  /** Resolves a host name to an IPv4 address. */
  lookup(host: string): Promise<string>;
  /** The IPv4 broadcast address of each up, non-internal interface (EPICS_CA_AUTO_ADDR_LIST). */
  broadcastAddresses(): string[];
  hostName(): string;
  userName(): string;
}

function wrapSocket(socket: Socket): TcpConnection {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 15_000);
  let corked = false;
  let closeHandler: ((error?: Error) => void) | undefined;
  let closeError: Error | undefined;
  let closed = false;
  socket.on("error", (error) => {
    closeError = error;
  });
  socket.on("close", () => {
    closed = true;
    closeHandler?.(closeError);
  });
  return {
    remoteAddress: socket.remoteAddress ?? "",
    remotePort: socket.remotePort ?? 0,
    get pending() {
      return socket.writableLength;
    },
    write(data) {
      if (closed || socket.destroyed) return false;
      // Batch every write of one tick into one segment: many small CA messages, few syscalls.
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      return socket.write(data);
    },
    onData: (handler) => socket.on("data", handler),
    onDrain: (handler) => socket.on("drain", handler),
    onClose(handler) {
      closeHandler = handler;
      if (closed) handler(closeError);
    },
    close: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}

/** The Node.js transport (node:dgram, node:net, node:os). */
export function nodeTransport(): CaTransport {
  return {
    bindUdp({ port, address, reuseAddr = false, background = false }) {
      return new Promise((resolve, reject) => {
        const socket = createSocket({ type: "udp4", reuseAddr });
        let errorHandler: ((error: Error) => void) | undefined;
        socket.once("error", reject);
        socket.bind(port, address, () => {
          socket.off("error", reject);
          socket.on("error", (error) => errorHandler?.(error));
          socket.setBroadcast(true);
          if (background) socket.unref();
          resolve({
            port: socket.address().port,
            send(data, toPort, host) {
              // dgram throws synchronously for some destinations (port 0, closed socket).
              try {
                socket.send(data, toPort, host, (error) => {
                  if (error) errorHandler?.(error);
                });
              } catch (error) {
                errorHandler?.(error instanceof Error ? error : new Error(String(error)));
              }
            },
            onMessage: (handler) =>
              socket.on("message", (msg, rinfo) =>
                handler(msg, { address: rinfo.address, port: rinfo.port }),
              ),
            onError(handler) {
              errorHandler = handler;
            },
            close() {
              try {
                socket.close();
              } catch {
                // already closed
              }
            },
          });
        });
      });
    },
    connectTcp(host, port) {
      return new Promise((resolve, reject) => {
        const socket = createConnection({ host, port });
        socket.once("error", reject);
        socket.once("connect", () => {
          socket.off("error", reject);
          resolve(wrapSocket(socket));
        });
      });
    },
    listenTcp({ port, address }, onConnection) {
      return new Promise((resolve, reject) => {
        const server = createServer((socket) => onConnection(wrapSocket(socket)));
        server.once("error", reject);
        server.listen(port, address, () => {
          server.off("error", reject);
          const bound = server.address();
          resolve({
            port: typeof bound === "object" && bound ? bound.port : port,
            close: () => new Promise<void>((done) => server.close(() => done())),
          });
        });
      });
    },
    async lookup(host) {
      if (isIPv4(host)) return host;
      return (await lookup(host, { family: 4 })).address;
    },
    broadcastAddresses() {
      const out: string[] = [];
      for (const list of Object.values(networkInterfaces())) {
        for (const info of list ?? []) {
          if (info.family !== "IPv4" || info.internal) continue;
          const ip = info.address.split(".").map(Number);
          const mask = info.netmask.split(".").map(Number);
          out.push(ip.map((b, i) => (b | (~(mask[i] ?? 0) & 255)) & 255).join("."));
        }
      }
      return [...new Set(out)];
    },
    hostName: () => hostname(),
    userName() {
      try {
        return userInfo().username;
      } catch {
        return "unknown";
      }
    },
  };
}
