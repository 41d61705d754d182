// Back-pressure and loss over ZeroMQ: the publisher never blocks, and whatever a subscriber
// misses is reported as a gap with its count.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { until } from "@cerulean/event-model/testing";
import { XPublisher } from "zeromq";
import { encodeBlueskyFrame } from "../../src/codec/bluesky-zmq-frame.ts";
import { encodeMsgpack } from "../../src/codec/document-codec.ts";
import type { DocumentGap } from "../../src/document-bus.ts";
import type { BusError } from "../../src/errors.ts";
import { collect } from "../../src/testing/bus-contract.ts";
import { gaussianScanDocuments } from "../../src/testing/gaussian-scan.ts";
import { startZmqProxy } from "../../src/zmq/zmq-proxy.ts";
import { openZmqPublisher } from "../../src/zmq/zmq-publisher.ts";
import { openZmqSubscriber, type ZmqSubscriber } from "../../src/zmq/zmq-subscriber.ts";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

describe("ZeroMQ back-pressure and loss", { timeout: 20_000 }, () => {
  it("a consumer that does not keep up is told how many documents it missed, then goes on", async () => {
    await using proxy = await startZmqProxy();
    const gaps: DocumentGap[] = [];
    const slow: ZmqSubscriber = await openZmqSubscriber(proxy.outAddress, {
      maxBuffered: 10,
      onGap: (g) => gaps.push(g),
    });
    await proxy.waitForSubscribers(1);
    await using publisher = await openZmqPublisher(proxy.inAddress);
    await publisher.whenConnected();
    const first = gaussianScanDocuments({ points: 48 });
    for (const named of first) publisher.publish(...named);
    await publisher.flush();
    await until(
      `the subscriber to receive all ${first.length} frames`,
      () => {
        return slow.stats.received === first.length;
      },
      { state: () => slow.stats },
    );
    deepStrictEqual(await collect(slow, 10), first.slice(0, 10));
    const second = gaussianScanDocuments({ points: 3 });
    for (const named of second) publisher.publish(...named);
    deepStrictEqual(await collect(slow, "stop"), second);
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["slow-consumer", first.length - 10]],
    );
    await slow.close();
  });

  it("events lost before the subscriber (e.g. at the proxy) are found from seq_num and num_events", async () => {
    await using proxy = await startZmqProxy();
    const gaps: DocumentGap[] = [];
    const sub = await openZmqSubscriber(proxy.outAddress, { onGap: (g) => gaps.push(g) });
    await proxy.waitForSubscribers(1);
    const python = new XPublisher();
    python.linger = 0;
    python.connect(proxy.inAddress);
    await python.receive();
    const docs = gaussianScanDocuments({ points: 6 });
    const sent = docs.filter((_, i) => i !== 4 && i !== 7); // events 3 and 6 of 6
    for (const [name, doc] of sent) {
      await python.send(encodeBlueskyFrame(new Uint8Array(), name, encodeMsgpack(doc)));
    }
    const received = await collect(sub, "stop");
    deepStrictEqual(received, sent);
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [
        ["content", 1],
        ["content", 1],
      ],
    );
    python.close();
    await sub.close();
  });

  it("holds documents published before the proxy is up, and sends them once it subscribes", async () => {
    const inPort = await freePort();
    await using publisher = await openZmqPublisher(inPort);
    const docs = gaussianScanDocuments({ points: 4 });
    for (const named of docs) publisher.publish(...named);
    deepStrictEqual(publisher.stats, {
      published: docs.length,
      sent: 0,
      dropped: 0,
      queued: docs.length,
      retried: 0,
    });
    await using proxy = await startZmqProxy({ inAddress: inPort });
    await publisher.flush();
    strictEqual(publisher.stats.sent, docs.length);
    await until(
      `the proxy to forward ${docs.length} frames`,
      () => {
        return proxy.forwarded === docs.length;
      },
      { state: () => proxy.forwarded },
    );
  });

  it("a publisher that never reaches a proxy reports what it could not send when closed", async () => {
    const errors: BusError[] = [];
    const publisher = await openZmqPublisher(await freePort(), {
      closeTimeoutMs: 20,
      maxQueued: 3,
      onError: (e) => errors.push(e),
    });
    const docs: NamedDocument[] = gaussianScanDocuments({ points: 2 });
    for (const named of docs) publisher.publish(...named);
    await publisher.close();
    deepStrictEqual(
      errors.map((e) => [e.name, (e as { dropped?: number }).dropped]),
      [
        ["DocumentsDroppedError", 1], // the first drop (event 2), at once
        ["DocumentsDroppedError", 4], // what was still queued (the stop passed the count bound)
      ],
    );
    ok(errors[1]?.message.includes("never subscribed"));
  });
});
