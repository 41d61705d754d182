// Nothing a peer sends may crash the server or the client: garbage, truncation, unknown
// commands, huge declared sizes, clients that vanish or stop reading.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect, createServer, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { CaContext } from "../src/client/context.ts";
import { CaMessageTooLargeError, CaProtocolError } from "../src/errors.ts";
import {
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
} from "../src/protocol/codec.ts";
import { Command } from "../src/protocol/commands.ts";
import { Eca } from "../src/protocol/eca.ts";
import { encodeMessage, MessageReader, splitDatagram } from "../src/protocol/header.ts";
import type { ClientMessage, ServerMessage } from "../src/protocol/messages.ts";
import type { SoftIoc } from "../src/server/soft-ioc.ts";
import { contextFor, eventually, freeUdpPort, startTestIoc } from "./helpers.ts";

/** A bare TCP client speaking raw CA to the IOC. */
class RawClient {
  readonly socket: Socket;
  readonly received: ServerMessage[] = [];
  readonly #reader = new MessageReader(1 << 22);

  constructor(port: number) {
    this.socket = connect(port, "127.0.0.1");
    this.socket.on("data", (chunk) => {
      for (const raw of this.#reader.push(chunk)) {
        if (!("oversized" in raw)) this.received.push(decodeServerMessage(raw));
      }
    });
    this.socket.on("error", () => {});
  }

  send(message: ClientMessage | Uint8Array): void {
    this.socket.write(message instanceof Uint8Array ? message : encodeClientMessage(message));
  }

  async next<T extends ServerMessage["type"]>(
    type: T,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    let found: ServerMessage | undefined;
    await eventually(
      () => {
        const i = this.received.findIndex((m) => m.type === type);
        if (i < 0) return false;
        found = this.received.splice(i, 1)[0];
        return true;
      },
      10_000,
      `a ${type} message`,
    );
    return found as Extract<ServerMessage, { type: T }>;
  }

  /** Creates a channel and returns its sid. */
  async open(name: string, cid = 1): Promise<number> {
    this.send({ type: "version", priority: 0, minorVersion: 13 });
    this.send({ type: "createChan", cid, name, minorVersion: 13 });
    return (await this.next("createChanReply")).sid;
  }

  close(): void {
    this.socket.destroy();
  }
}

let ioc: SoftIoc;
let ca: CaContext;

before(async () => {
  ioc = await startTestIoc();
  ioc.add("X:value", { value: 3.5 });
  ioc.add("X:array", { value: new Float64Array(1000), count: 1000 });
  ca = contextFor(ioc);
});

after(async () => {
  await ca.close();
  await ioc.close();
});

async function stillServes(): Promise<void> {
  assert.equal((await ca.get("X:value")).value, 3.5);
}

describe("the server survives bad clients", () => {
  test("random bytes on a circuit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), async (bytes) => {
        const raw = new RawClient(ioc.tcpPort);
        raw.send(bytes);
        raw.send({ type: "echo" });
        await new Promise((r) => setTimeout(r, 2));
        raw.close();
      }),
      { numRuns: 40 },
    );
    await stillServes();
  });

  test("an unknown command gets a CA error reply and the circuit goes on", async () => {
    const raw = new RawClient(ioc.tcpPort);
    raw.send(encodeMessage({ command: 99, dataType: 0, count: 0, parameter1: 0, parameter2: 0 }));
    const error = await raw.next("error");
    assert.equal(error.request?.command, 99);
    assert.match(error.message, /unknown command 99/);
    raw.send({ type: "echo" });
    await raw.next("echo");
    raw.close();
  });

  test("a declared payload over the limit is refused without buffering it", async () => {
    const raw = new RawClient(ioc.tcpPort);
    const sid = await raw.open("X:array");
    const header = encodeMessage({
      command: Command.writeNotify,
      dataType: 6,
      count: 100_000_000,
      parameter1: sid,
      parameter2: 5,
    });
    // Patch the extended payload size to 800 MB: only the header is ever sent.
    new DataView(header.buffer).setUint32(16, 800_000_000);
    raw.send(header.subarray(0, 24));
    const reply = await raw.next("writeNotifyReply");
    assert.deepEqual([reply.ioid, reply.status], [5, Eca.tooLarge]);
    raw.close();
    await stillServes();
  });

  test("bad sid, bad DBR type, short payload and a count over the PV's get CA errors", async () => {
    const raw = new RawClient(ioc.tcpPort);
    const sid = await raw.open("X:value");
    raw.send({ type: "readNotify", dataType: 6, count: 1, sid: 999, ioid: 1 });
    assert.equal((await raw.next("error")).status, Eca.badChid);
    raw.send({ type: "readNotify", dataType: 77, count: 1, sid, ioid: 2 });
    assert.deepEqual(pick(await raw.next("readNotifyReply")), [2, Eca.badType]);
    raw.send({ type: "readNotify", dataType: 6, count: 5, sid, ioid: 3 });
    assert.deepEqual(pick(await raw.next("readNotifyReply")), [3, Eca.badCount]);
    raw.send({
      type: "writeNotify",
      dataType: 20,
      count: 1,
      sid,
      ioid: 4,
      data: new Uint8Array(8),
    });
    assert.deepEqual(pick(await raw.next("writeNotifyReply")), [4, Eca.noConvert]);
    raw.send({
      type: "eventAdd",
      dataType: 6,
      count: 1,
      sid,
      subscriptionId: 1,
      mask: 0,
      low: 0,
      high: 0,
      to: 0,
    });
    assert.equal((await raw.next("error")).status, Eca.badMask);
    raw.close();
    await stillServes();
  });

  test("a client that vanishes during a put with completion", async () => {
    let finish: () => void = () => {};
    ioc.add("X:slow", {
      value: 0,
      onPut: () =>
        new Promise<void>((r) => {
          finish = r;
        }),
    });
    const raw = new RawClient(ioc.tcpPort);
    const sid = await raw.open("X:slow");
    raw.send({ type: "writeNotify", dataType: 6, count: 1, sid, ioid: 1, data: new Uint8Array(8) });
    await eventually(() => ioc.clientCount >= 2);
    raw.close();
    await eventually(() => ioc.clientCount === 1, 10_000, "the vanished client dropped");
    finish(); // the reply now has nobody to go to
    await stillServes();
  });

  test("a client that stops reading gets coalesced monitors, then the latest value", async () => {
    const pv = ioc.add("X:fast", { value: new Float64Array(2000), count: 2000 });
    const raw = new RawClient(ioc.tcpPort);
    const sid = await raw.open("X:fast");
    raw.send({
      type: "eventAdd",
      dataType: 6,
      count: 0,
      sid,
      subscriptionId: 7,
      mask: 1,
      low: 0,
      high: 0,
      to: 0,
    });
    await raw.next("eventAddReply");
    raw.socket.pause();
    const updates = 3000;
    for (let i = 1; i <= updates; i++) pv.update({ value: new Float64Array(2000).fill(i) });
    await stillServes();
    raw.socket.resume();
    let last = 0;
    await eventually(
      () => {
        for (const m of raw.received.splice(0)) {
          if (m.type === "eventAddReply") {
            last = new DataView(m.data.buffer, m.data.byteOffset).getFloat64(0);
          }
        }
        return last === updates;
      },
      10_000,
      "the latest value",
    );
    raw.close();
  });

  test("garbage datagrams on the search port are ignored", async () => {
    const udp = createSocket("udp4");
    for (const bytes of [
      new Uint8Array(3),
      new Uint8Array(64).fill(0xff),
      encodeMessage({ command: 6, dataType: 5, count: 13, parameter1: 1, parameter2: 1 }),
    ]) {
      udp.send(bytes, ioc.udpPort, "127.0.0.1");
    }
    await new Promise((r) => setTimeout(r, 20));
    udp.close();
    const fresh = contextFor(ioc);
    assert.equal((await fresh.get("X:value")).value, 3.5);
    await fresh.close();
  });
});

function pick(m: { ioid: number; status: number }): [number, number] {
  return [m.ioid, m.status];
}

describe("the client survives bad servers", () => {
  /** A fake IOC answering searches and channel creation, then replying with `reply`. */
  async function fakeServer(
    reply: (request: ClientMessage & { type: "readNotify" }) => Uint8Array,
  ) {
    const sockets: Socket[] = [];
    const tcp = createServer((socket) => {
      sockets.push(socket);
      const reader = new MessageReader(1 << 16);
      socket.on("error", () => {});
      socket.on("data", (chunk) => {
        for (const raw of reader.push(chunk)) {
          if (raw.command === Command.createChan) {
            socket.write(
              encodeServerMessage({ type: "accessRights", cid: raw.parameter1, rights: 3 }),
            );
            socket.write(
              encodeServerMessage({
                type: "createChanReply",
                cid: raw.parameter1,
                sid: 1,
                dataType: 6,
                count: 1,
              }),
            );
          } else if (raw.command === Command.readNotify) {
            socket.write(
              reply({
                type: "readNotify",
                dataType: raw.dataType,
                count: raw.count,
                sid: 1,
                ioid: raw.parameter2,
              }),
            );
          }
        }
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", () => resolve()));
    const tcpPort = (tcp.address() as { port: number }).port;
    const udp = createSocket("udp4");
    await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", () => resolve()));
    udp.on("message", (data, from) => {
      for (const raw of splitDatagram(data).messages) {
        if (raw.command !== Command.search) continue;
        udp.send(
          encodeServerMessage({
            type: "searchReply",
            port: tcpPort,
            serverAddress: 0xffffffff,
            cid: raw.parameter1,
            minorVersion: 13,
          }),
          from.port,
          from.address,
        );
      }
    });
    const env = {
      EPICS_CA_ADDR_LIST: "127.0.0.1",
      EPICS_CA_AUTO_ADDR_LIST: "NO",
      EPICS_CA_SERVER_PORT: String(udp.address().port),
      EPICS_CA_REPEATER_PORT: String(await freeUdpPort()),
    };
    return {
      context: new CaContext({ env, timeout: 10, beacons: false }),
      close() {
        for (const s of sockets) s.destroy();
        tcp.close();
        udp.close();
      },
    };
  }

  test("a reply whose payload is too short rejects the get with CaProtocolError", async () => {
    const fake = await fakeServer((r) =>
      encodeServerMessage({
        type: "readNotifyReply",
        dataType: r.dataType,
        count: 4,
        status: 1,
        ioid: r.ioid,
        data: new Uint8Array(8),
      }),
    );
    await assert.rejects(fake.context.get("F:x"), CaProtocolError);
    await fake.context.close();
    fake.close();
  });

  test("a reply announcing a gigabyte rejects the get with CaMessageTooLargeError", async () => {
    const fake = await fakeServer((r) => {
      const header = encodeMessage({
        command: Command.readNotify,
        dataType: r.dataType,
        count: 100_000,
        parameter1: 1,
        parameter2: r.ioid,
      });
      new DataView(header.buffer).setUint32(16, 1_000_000_000);
      return header.subarray(0, 24);
    });
    await assert.rejects(fake.context.get("F:x"), (e: unknown) => {
      assert.ok(e instanceof CaMessageTooLargeError);
      assert.match(e.message, /get of PV "F:x"/);
      return true;
    });
    await fake.context.close();
    fake.close();
  });

  test("random bytes from the server never crash the client", async () => {
    const fake = await fakeServer(() => Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255));
    // Whatever the bytes mean to it, the get ends: with an error, or at its own timeout.
    await assert.rejects(fake.context.get("F:x", { timeout: 1 }));
    await fake.context.close();
    fake.close();
  });
});
