// Connection management: IOC restarts, beacons and the repeater, echo keep-alive.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { createServer, type Socket } from "node:net";
import { describe, test } from "node:test";
import { BeaconTracker } from "../src/client/beacons.ts";
import { CaContext } from "../src/client/context.ts";
import { CaRepeater } from "../src/client/repeater.ts";
import {
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
} from "../src/protocol/codec.ts";
import { Command } from "../src/protocol/commands.ts";
import { MessageReader, splitDatagram } from "../src/protocol/header.ts";
import { nodeTransport } from "../src/transport.ts";
import { contextFor, eventually, freeUdpPort, startTestIoc } from "./helpers.ts";

describe("reconnection after an IOC restart", () => {
  test("the channel reconnects and its monitor resumes with the new IOC's values", async () => {
    const first = await startTestIoc();
    first.add("R:temp", { value: 20 });
    await using ca = contextFor(first);
    const channel = await ca.channel("R:temp");
    const states: boolean[] = [];
    channel.onConnectionChange((up) => states.push(up));
    const values: number[] = [];
    channel.subscribe((update) => values.push(update.value as number));
    await eventually(() => values.length === 1, 10_000, "first monitor update");

    const { serverPort, beaconPort } = first.config;
    const udpPort = first.udpPort;
    await first.close();
    await eventually(() => states.includes(false), 10_000, "disconnect noticed");
    assert.equal(channel.state, "searching");

    await using second = await startTestIoc({ serverPort: udpPort, repeaterPort: beaconPort });
    assert.equal(serverPort, 0);
    const pv = second.add("R:temp", { value: 30 });
    // Found again by the next search (its backoff doubles up to the time already spent
    // searching) or at once on the new IOC's first beacon.
    await eventually(() => channel.connected, 15_000, "reconnection");
    await eventually(() => values.includes(30), 10_000, "monitor restored");
    pv.update({ value: 31 });
    await eventually(() => values.includes(31), 10_000, "monitor live after restore");
    assert.deepEqual(states, [false, true]);
    assert.equal((await channel.get()).value, 31);
  });

  test("a put with completion pending when the IOC dies fails with CaDisconnectedError", async () => {
    const ioc = await startTestIoc();
    ioc.add("R:slow", { value: 0, onPut: () => new Promise(() => {}) });
    await using ca = contextFor(ioc);
    const channel = await ca.channel("R:slow");
    const put = channel.put(1, { wait: true });
    await eventually(() => ioc.clientCount === 1);
    await ioc.close();
    await assert.rejects(put, /put of PV "R:slow" failed: the server disconnected/);
  });
});

describe("beacons", () => {
  test("a new server or a restart (beacon id jump) is an anomaly; the next id is not", () => {
    const tracker = new BeaconTracker();
    assert.equal(tracker.observe("10.0.0.1:5064", 5, 0), true);
    assert.equal(tracker.observe("10.0.0.1:5064", 6, 15_000), false);
    assert.equal(tracker.observe("10.0.0.1:5064", 6, 15_001), false);
    assert.equal(tracker.observe("10.0.0.1:5064", 0, 30_000), true);
  });

  test("one or two lost beacons are not an anomaly; a restart still is", () => {
    const tracker = new BeaconTracker();
    const server = "10.0.0.1:5064";
    assert.equal(tracker.observe(server, 10, 0), true);
    assert.equal(tracker.observe(server, 11, 15_000), false);
    assert.equal(tracker.observe(server, 13, 45_000), false, "one beacon lost");
    assert.equal(tracker.observe(server, 16, 90_000), false, "two beacons lost");
    assert.equal(tracker.observe(server, 17, 105_000), false);
    // The server restarts: its counter starts over.
    assert.equal(tracker.observe(server, 0, 110_000), true, "id went backwards");
    assert.equal(tracker.observe(server, 1, 110_020), false, "the restarted server's next");
    assert.equal(tracker.observe(server, 2, 110_060), false, "its beacons speed up");
    // Silence long enough that many beacons went by unheard: the route was down.
    assert.equal(tracker.observe(server, 40, 500_000), true, "many beacons missed");
    // Another server is new.
    assert.equal(tracker.observe("10.0.0.2:5064", 17, 500_001), true);
  });

  test("a restart hidden behind a repeated id shows as beacons far sooner than the period", () => {
    const tracker = new BeaconTracker();
    const server = "10.0.0.1:5064";
    assert.equal(tracker.observe(server, 0, 0), true);
    assert.equal(tracker.observe(server, 1, 15_000), false);
    // Restarted at 20 s; its beacon 0 was lost and its beacon 1 looks like a duplicate.
    assert.equal(tracker.observe(server, 1, 20_020), false);
    assert.equal(tracker.observe(server, 2, 20_060), false);
    assert.equal(tracker.observe(server, 3, 20_140), true, "beacons far sooner than before");
  });

  test("the repeater confirms a registration and forwards beacons with the sender's address", async () => {
    const port = await freeUdpPort();
    const repeater = await CaRepeater.start(nodeTransport(), port);
    const client = createSocket("udp4");
    await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", () => resolve()));
    const received: number[] = [];
    const beacons: Array<{ port: number; address: number }> = [];
    client.on("message", (data) => {
      for (const raw of splitDatagram(data).messages) {
        received.push(raw.command);
        const msg = decodeServerMessage(raw);
        if (msg.type === "beacon") beacons.push({ port: msg.port, address: msg.address });
      }
    });
    client.send(encodeClientMessage({ type: "repeaterRegister", address: 0 }), port, "127.0.0.1");
    await eventually(() => received.includes(Command.repeaterConfirm), 10_000, "confirmation");
    const server = createSocket("udp4");
    const beacon = encodeServerMessage({
      type: "beacon",
      minorVersion: 13,
      port: 5999,
      beaconId: 1,
      address: 0,
    });
    server.send(beacon, port, "127.0.0.1");
    await eventually(() => beacons.length === 1, 10_000, "forwarded beacon");
    assert.deepEqual(beacons[0], { port: 5999, address: 0x7f000001 });
    assert.equal(repeater.clientCount, 1);
    server.close();
    client.close();
    repeater.close();
  });

  test("a client context hears an IOC's beacons through the repeater it starts", async () => {
    const ioc = await startTestIoc();
    ioc.add("B:x", { value: 1 });
    await using ca = contextFor(ioc);
    const channel = await ca.channel("B:x");
    assert.ok(channel.connected);
    // No repeater ran on the IOC's beacon port: the context started one and registered.
    await eventually(() => ca.hearsBeacons, 10_000, "repeater registration");
    await ioc.close();
  });
});

describe("echo keep-alive", () => {
  test("an idle circuit is probed with echoes and stays up", async () => {
    await using ioc = await startTestIoc();
    ioc.add("E:x", { value: 1 });
    await using ca = new CaContext({ env: ioc.clientEnv(), config: { connTimeout: 0.1 } });
    const channel = await ca.channel("E:x");
    const states: boolean[] = [];
    channel.onConnectionChange((up) => states.push(up));
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(states, []);
    assert.equal((await channel.get()).value, 1);
  });

  test("a server that stops answering is dropped after an unanswered echo", async () => {
    // A fake server: answers the search, accepts the circuit, then never says a word.
    const sockets: Socket[] = [];
    const commands: number[] = [];
    const tcp = createServer((socket) => {
      sockets.push(socket);
      const reader = new MessageReader(1 << 16);
      socket.on("data", (chunk) => {
        for (const m of reader.push(chunk)) commands.push(m.command);
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", () => resolve()));
    const tcpPort = (tcp.address() as { port: number }).port;
    const udp = createSocket("udp4");
    await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", () => resolve()));
    udp.on("message", (data, from) => {
      for (const raw of splitDatagram(data).messages) {
        if (raw.command !== Command.search) continue;
        const reply = encodeServerMessage({
          type: "searchReply",
          port: tcpPort,
          serverAddress: 0xffffffff,
          cid: raw.parameter1,
          minorVersion: 13,
        });
        udp.send(reply, from.port, from.address);
      }
    });
    const env = {
      EPICS_CA_ADDR_LIST: "127.0.0.1",
      EPICS_CA_AUTO_ADDR_LIST: "NO",
      EPICS_CA_SERVER_PORT: String(udp.address().port),
      EPICS_CA_REPEATER_PORT: String(await freeUdpPort()),
    };
    await using ca = new CaContext({ env, config: { connTimeout: 0.1 }, beacons: false });
    const channel = ca.createChannel("E:mute");
    await eventually(() => commands.includes(Command.echo), 10_000, "an echo");
    await eventually(
      () => sockets[0]?.destroyed === true || sockets[0]?.readableEnded === true,
      10_000,
      "circuit dropped",
    );
    assert.notEqual(channel.state, "connected");
    for (const s of sockets) s.destroy();
    tcp.close();
    udp.close();
  });
});
