// Wire compatibility with bluesky.callbacks.zmq, checked with frames built by hand the way a
// Python Publisher (serializer=msgpack.packb or json) builds them, and read back the way a Python
// RemoteDispatcher reads them.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { until, within } from "@cerulean/event-model/testing";
import { Subscriber, XPublisher } from "zeromq";
import { encodeBlueskyFrame } from "../../src/codec/bluesky-zmq-frame.ts";
import { encodeMsgpack } from "../../src/codec/document-codec.ts";
import type { DocumentGap } from "../../src/document-bus.ts";
import { collect } from "../../src/testing/bus-contract.ts";
import { gaussianScanDocuments } from "../../src/testing/gaussian-scan.ts";
import { startZmqProxy, type ZmqProxy } from "../../src/zmq/zmq-proxy.ts";
import { openZmqPublisher } from "../../src/zmq/zmq-publisher.ts";
import { openZmqSubscriber } from "../../src/zmq/zmq-subscriber.ts";
import { PY_JSON, PY_START_DOC, PY_START_MSGPACK } from "../codec/python-fixtures.ts";

/** A raw publisher, as Python's would be, that waits until the proxy takes its frames. */
async function rawPublisher(proxy: ZmqProxy): Promise<XPublisher> {
  const socket = new XPublisher();
  socket.linger = 0;
  socket.connect(proxy.inAddress);
  await within(socket.receive(), "the proxy's subscription"); // frames now reach it
  return socket;
}

describe("bluesky.callbacks.zmq wire compatibility", { timeout: 20_000 }, () => {
  // A fresh proxy per test: a count read while the previous test's subscribers are still
  // unsubscribing would be stale, and waiting on it could hang.
  let proxy: ZmqProxy;
  beforeEach(async () => {
    proxy = await startZmqProxy();
  });
  afterEach(async () => {
    await proxy.close();
  });

  it("sends exactly the frame a Python Publisher(serializer=msgpack.packb) sends", async () => {
    const raw = new Subscriber();
    raw.linger = 0;
    raw.subscribe();
    raw.connect(proxy.outAddress);
    const frame = raw.receive();
    await within(proxy.waitForSubscribers(1), "1 subscription at the proxy");
    const publisher = await openZmqPublisher(proxy.inAddress);
    publisher.publish("start", PY_START_DOC as never);
    const [bytes] = await frame;
    deepStrictEqual(bytes, Buffer.concat([Buffer.from(" start "), PY_START_MSGPACK]));
    await publisher.close();
    raw.close();
  });

  it("reads the frames of a Python publisher with a prefix, msgpack or JSON", async () => {
    const msgpackSub = await openZmqSubscriber(proxy.outAddress, { prefix: "bl1" });
    const jsonSub = await openZmqSubscriber(proxy.outAddress, { prefix: "bl2", format: "json" });
    await within(proxy.waitForSubscribers(2), "2 subscriptions at the proxy");
    const python = await rawPublisher(proxy);
    await python.send(Buffer.concat([Buffer.from("bl1 start "), PY_START_MSGPACK]));
    await python.send(Buffer.concat([Buffer.from("bl2 event "), PY_JSON]));
    deepStrictEqual(await collect(msgpackSub, 1), [["start", PY_START_DOC]]);
    const [[name, doc]] = (await collect(jsonSub, 1)) as [NamedDocument];
    strictEqual(name, "event");
    ok(Number.isNaN((doc as unknown as { x: number }).x));
    python.close();
    await Promise.all([msgpackSub.close(), jsonSub.close()]);
  });

  it("selects one publisher by prefix, and takes all without one", async () => {
    const onlyA = await openZmqSubscriber(proxy.outAddress, { prefix: "a" });
    const all = await openZmqSubscriber(proxy.outAddress);
    await within(proxy.waitForSubscribers(2), "2 subscriptions at the proxy");
    const a = await openZmqPublisher(proxy.inAddress, { prefix: "a" });
    const b = await openZmqPublisher(proxy.inAddress, { prefix: "ab" });
    await within(
      Promise.all([a.whenConnected(), b.whenConnected()]),
      "the proxy to subscribe to both publishers",
    );
    const [docA, docB] = [
      gaussianScanDocuments({ points: 1 })[0]!,
      gaussianScanDocuments({ points: 1 })[0]!,
    ];
    b.publish(...docB);
    // The two publishers reach the proxy on two connections, read in no set order: docA goes
    // out once the proxy has forwarded docB, so that onlyA has seen (and dropped) docB first.
    await until("the proxy to forward b's document", () => proxy.forwarded === 1, {
      state: () => proxy.forwarded,
    });
    a.publish(...docA);
    deepStrictEqual(await collect(onlyA, 1), [docA]);
    deepStrictEqual(await collect(all, 2), [docB, docA]);
    await Promise.all([a.close(), b.close(), onlyA.close(), all.close()]);
  });

  it("reports an undecodable message as a gap, and ends the iteration when nobody listens for gaps", async () => {
    const gaps: DocumentGap[] = [];
    const tolerant = await openZmqSubscriber(proxy.outAddress, { onGap: (g) => gaps.push(g) });
    const strict = await openZmqSubscriber(proxy.outAddress);
    await within(proxy.waitForSubscribers(2), "2 subscriptions at the proxy");
    const python = await rawPublisher(proxy);
    const [start] = gaussianScanDocuments({ points: 1 });
    await python.send(Buffer.from(" start \xc1garbage", "latin1"));
    await python.send(encodeBlueskyFrame(new Uint8Array(), "start", encodeMsgpack(start![1])));
    deepStrictEqual(await collect(tolerant, 1), [start]);
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["undecodable", 1]],
    );
    await collect(strict, 1).then(
      () => ok(false, "expected a DocumentGapError"),
      (error: unknown) => ok(error instanceof Error && error.name === "DocumentGapError"),
    );
    python.close();
    await Promise.all([tolerant.close(), strict.close()]);
  });
});
