// A datagram from source port 0 cannot be answered: Node's dgram throws synchronously when
// asked to send there. Neither the IOC nor the repeater may die of one.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { describe, test } from "node:test";
import { CaRepeater } from "../src/client/repeater.ts";
import { encodeClientMessage, encodeServerMessage } from "../src/protocol/codec.ts";
import { startSoftIoc } from "../src/server/soft-ioc.ts";
import { type CaTransport, nodeTransport, type Peer, type UdpSocket } from "../src/transport.ts";
import { eventually, freeUdpPort } from "./helpers.ts";

interface Tap {
  transport: CaTransport;
  /** Delivers `data` to the last bound UDP socket's handler as if sent from `from`. */
  inject(data: Uint8Array, from: Peer): void;
  /** Every datagram the code under test sent. */
  sent: Array<{ port: number; host: string }>;
}

/** The real transport, with UDP receives injectable and sends recorded. */
function tappedTransport(): Tap {
  const real = nodeTransport();
  let handler: ((data: Uint8Array, from: Peer) => void) | undefined;
  const sent: Tap["sent"] = [];
  const transport: CaTransport = {
    ...real,
    async bindUdp(options) {
      const socket = await real.bindUdp(options);
      const tapped: UdpSocket = {
        get port() {
          return socket.port;
        },
        send(data, port, host) {
          sent.push({ port, host });
          socket.send(data, port, host);
        },
        onMessage(h) {
          handler = h;
          socket.onMessage(h);
        },
        onError: (h) => socket.onError(h),
        close: () => socket.close(),
      };
      return tapped;
    },
  };
  return {
    transport,
    sent,
    inject(data, from) {
      assert.ok(handler, "no UDP handler installed");
      handler(data, from);
    },
  };
}

describe("UDP from source port 0", () => {
  test("the node transport reports a send to port 0 to onError instead of throwing", async () => {
    const socket = await nodeTransport().bindUdp({ port: 0, address: "127.0.0.1" });
    const errors: Error[] = [];
    socket.onError((error) => errors.push(error));
    assert.doesNotThrow(() => socket.send(new Uint8Array(16), 0, "127.0.0.1"));
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]?.message), /port/i);
    socket.close();
  });

  test("the IOC ignores a search from port 0 and still answers others", async () => {
    const tap = tappedTransport();
    const beaconPort = await freeUdpPort();
    const ioc = await startSoftIoc({
      env: {},
      transport: tap.transport,
      config: {
        interfaceAddress: "127.0.0.1",
        serverPort: 0,
        beaconAddrList: [],
        autoBeaconAddrList: false,
        beaconPort,
      },
    });
    ioc.add("Z:served", { value: 1 });
    const search = encodeClientMessage({
      type: "search",
      name: "Z:served",
      cid: 7,
      reply: true,
      minorVersion: 13,
    });
    tap.inject(search, { address: "127.0.0.1", port: 0 });
    assert.deepEqual(
      tap.sent.filter((s) => s.port === 0),
      [],
    );
    tap.inject(search, { address: "127.0.0.1", port: 5999 });
    assert.deepEqual(tap.sent.at(-1), { port: 5999, host: "127.0.0.1" });
    await ioc.close();
  });

  test("the repeater neither confirms nor registers a client on port 0", async () => {
    const tap = tappedTransport();
    const repeater = await CaRepeater.start(tap.transport, await freeUdpPort());
    tap.inject(encodeClientMessage({ type: "repeaterRegister", address: 0 }), {
      address: "127.0.0.1",
      port: 0,
    });
    assert.equal(repeater.clientCount, 0);
    assert.deepEqual(tap.sent, []);
    // A beacon from port 0 is dropped too; a real client still registers and hears beacons.
    const client = createSocket("udp4");
    await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", () => resolve()));
    let heard = 0;
    client.on("message", () => heard++);
    client.send(
      encodeClientMessage({ type: "repeaterRegister", address: 0 }),
      repeater.port,
      "127.0.0.1",
    );
    await eventually(() => repeater.clientCount === 1 && heard === 1, 10_000, "registration");
    const beacon = encodeServerMessage({
      type: "beacon",
      minorVersion: 13,
      port: 5999,
      beaconId: 1,
      address: 0,
    });
    tap.inject(beacon, { address: "127.0.0.1", port: 0 });
    assert.equal(tap.sent.length, 1, "only the confirmation was sent");
    tap.inject(beacon, { address: "127.0.0.1", port: 5064 });
    assert.equal(tap.sent.length, 2, "the real beacon was forwarded");
    await eventually(() => heard === 2, 10_000, "forwarded beacon");
    client.close();
    repeater.close();
  });
});
