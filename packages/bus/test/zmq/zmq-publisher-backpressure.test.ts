// The publisher under the proxy's back-pressure: send() fails with EAGAIN at the high-water mark
// (XPUB_NODROP) and nothing wakes an XPUB socket up, so the publisher must retry by itself; and
// when its own queue overflows, subscribers must see the loss as a gap with its count.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { describe, it } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import { until } from "@cerulean/event-model/testing";
import { Subscriber } from "zeromq";
import { decodeBlueskyFrame } from "../../src/codec/bluesky-zmq-frame.ts";
import { decodeBody } from "../../src/codec/document-codec.ts";
import type { DocumentGap } from "../../src/document-bus.ts";
import type { BusError } from "../../src/errors.ts";
import { collect } from "../../src/testing/bus-contract.ts";
import { gaussianScanDocuments } from "../../src/testing/gaussian-scan.ts";
import { startZmqProxy } from "../../src/zmq/zmq-proxy.ts";
import { openZmqPublisher, type ZmqPublisher } from "../../src/zmq/zmq-publisher.ts";
import { openZmqSubscriber } from "../../src/zmq/zmq-subscriber.ts";

/** A proxy's input socket that the test reads from only when it chooses: a stalled proxy. */
async function stalledProxy(): Promise<Subscriber> {
  const input = new Subscriber();
  input.linger = 0;
  input.receiveHighWaterMark = 2;
  // A fixed kernel buffer (no autotuning up to tcp_rmem's maximum, which varies by machine):
  // the documents below are always far more than the buffers hold.
  input.receiveBufferSize = 128 * 1024;
  input.subscribe();
  await input.bind("tcp://127.0.0.1:0");
  return input;
}

/** Waits for the publisher to see the stalled proxy's subscription. */
async function subscribed(publisher: ZmqPublisher, proxy: Subscriber): Promise<void> {
  // libzmq hands a new connection its subscriptions when the socket is next used; a proxy that
  // does not read must be nudged (reading `readable` processes the socket's pending commands).
  await until("the publisher to see the stalled proxy's subscription", () => {
    return proxy.readable || publisher.connected;
  });
}

function decode(frame: Buffer | undefined): NamedDocument {
  const { name, body } = decodeBlueskyFrame(frame ?? Buffer.alloc(0));
  return [name, decodeBody(body, "msgpack")] as NamedDocument;
}

describe("ZeroMQ publisher back-pressure", { timeout: 20_000 }, () => {
  it("a proxy that stops reading makes send() fail; the publisher retries and delivers the tail once it reads again", {
    timeout: 20_000,
  }, async () => {
    const proxy = await stalledProxy();
    const errors: BusError[] = [];
    await using publisher = await openZmqPublisher(proxy.lastEndpoint ?? "", {
      sendHighWaterMark: 2,
      onError: (e) => errors.push(e),
    });
    await subscribed(publisher, proxy);
    // ~260 kB each: some 25 fill the socket buffers and the high-water marks.
    const docs = gaussianScanDocuments({ points: 60, imageShape: [512, 512] });
    for (const named of docs) publisher.publish(...named);
    await until("send() to refuse a frame (back-pressure)", () => publisher.stats.retried > 0, {
      state: () => publisher.stats,
    });
    ok(publisher.stats.queued > 0, "documents wait while the proxy does not read");
    const flushed = publisher.flush();
    const received: NamedDocument[] = [];
    while (received.length < docs.length) {
      const [frame] = await proxy.receive();
      received.push(decode(frame));
    }
    await flushed;
    deepStrictEqual(received, docs);
    deepStrictEqual(
      { ...publisher.stats, retried: 0 },
      { published: docs.length, sent: docs.length, dropped: 0, queued: 0, retried: 0 },
    );
    deepStrictEqual(errors, [], "back-pressure is not a failure");
    proxy.close();
  });

  it("publishing goes on while the proxy is stalled, and flush() resolves once it reads again", {
    timeout: 20_000,
  }, async () => {
    const proxy = await stalledProxy();
    await using publisher = await openZmqPublisher(proxy.lastEndpoint ?? "", {
      sendHighWaterMark: 2,
    });
    await subscribed(publisher, proxy);
    const first = gaussianScanDocuments({ points: 60, imageShape: [512, 512] });
    for (const named of first) publisher.publish(...named);
    await until("send() to refuse a frame (back-pressure)", () => publisher.stats.retried > 0, {
      state: () => publisher.stats,
    });
    // Nothing new is published after the stall until the proxy reads: the drain loop alone
    // must carry every queued document through.
    const queued = publisher.stats.queued;
    ok(queued > 0);
    const second = gaussianScanDocuments({ points: 2 });
    for (const named of second) publisher.publish(...named);
    strictEqual(publisher.stats.queued, queued + second.length, "publish() returned at once");
    const flushed = publisher.flush();
    const all = [...first, ...second];
    const received: NamedDocument[] = [];
    while (received.length < all.length) {
      const [frame] = await proxy.receive();
      received.push(decode(frame));
    }
    await flushed;
    deepStrictEqual(received, all);
    proxy.close();
  });

  it("an overflowing publisher queue drops events, and subscribers report them as a gap with the count", async () => {
    await using proxy = await startZmqProxy();
    const gaps: DocumentGap[] = [];
    const sub = await openZmqSubscriber(proxy.outAddress, { onGap: (g) => gaps.push(g) });
    await proxy.waitForSubscribers(1);
    const errors: BusError[] = [];
    const publisher = await openZmqPublisher(proxy.inAddress, {
      maxQueued: 5,
      onError: (e) => errors.push(e),
    });
    // Published before the proxy has subscribed: the queue holds start, descriptor and events
    // 1-3; events 4-10 overflow it; the stop document is let past the count bound.
    const docs = gaussianScanDocuments({ points: 10 });
    for (const named of docs) publisher.publish(...named);
    const kept = [...docs.slice(0, 5), docs.at(-1)!];
    deepStrictEqual(await collect(sub, "stop"), kept);
    deepStrictEqual(
      gaps.map((g) => [g.reason, g.missed]),
      [["content", 7]],
    );
    await publisher.close();
    strictEqual(publisher.stats.dropped, 7);
    deepStrictEqual(
      errors.map((e) => [e.name, (e as { dropped?: number }).dropped]),
      [
        ["DocumentsDroppedError", 1], // the first drop, at once
        ["DocumentsDroppedError", 6], // the rest of the episode, at close
      ],
    );
    await sub.close();
  });
});
