// Documents through the bus: throughput (documents/s, publisher to subscriber) and end-to-end
// latency (one document at a time, p50/p99) over ZeroMQ (via the proxy), Redis Streams (a local
// redis-server) and the WebSocket, for small events (two scalars) and 1 MB image events
// (a 1024x1024 frame of small integers: ~1 MB in msgpack, ~2.4 MB as JSON text).
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  attachDocumentWebSocket,
  type DocumentPublisher,
  type DocumentSubscriber,
  openRedisPublisher,
  openRedisSubscriber,
  openWebSocketSubscriber,
  openZmqPublisher,
  openZmqSubscriber,
  startZmqProxy,
} from "@cerulean/bus";
import { gaussianScanDocuments, startRedisServer } from "@cerulean/bus/testing";
import type { NamedDocument } from "@cerulean/event-model";
import { quick, rate, report } from "./harness.ts";

interface Transport {
  name: string;
  publisher: DocumentPublisher;
  subscriber: DocumentSubscriber;
  close(): Promise<void>;
}

async function zmq(): Promise<Transport> {
  const proxy = await startZmqProxy();
  const subscriber = await openZmqSubscriber(proxy.outAddress, { maxBuffered: 1_000_000 });
  await proxy.waitForSubscribers(1);
  const publisher = await openZmqPublisher(proxy.inAddress, { maxQueued: 1_000_000 });
  await publisher.whenConnected();
  return {
    name: "zmq",
    publisher,
    subscriber,
    async close() {
      await subscriber.close();
      await publisher.close();
      await proxy.close();
    },
  };
}

async function redis(): Promise<Transport> {
  const server = await startRedisServer();
  const publisher = await openRedisPublisher({
    redis: server.url,
    beamline: "bench",
    maxLength: 50_000,
  });
  const subscriber = await openRedisSubscriber({
    redis: server.url,
    beamline: "bench",
    batch: 500,
  });
  return {
    name: "redis",
    publisher,
    subscriber,
    async close() {
      await subscriber.close();
      await publisher.close();
      await server.stop();
    },
  };
}

async function websocket(): Promise<Transport> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const publisher = attachDocumentWebSocket(server, { heartbeatMs: 0, maxLogBytes: 1024 ** 3 });
  const subscriber = await openWebSocketSubscriber(`ws://127.0.0.1:${port}${publisher.path}`, {
    replay: "none",
    maxBufferedBytes: 1024 ** 3,
  });
  await subscriber.live;
  return {
    name: "websocket",
    publisher,
    subscriber,
    async close() {
      await subscriber.close();
      await publisher.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

const WINDOW = 256;
/** No document for this long means a lost one: fail with a message, do not hang. */
const STALL_MS = 20_000;

/** `next()` of the subscriber, failing when documents stop arriving; `stop()` when done. */
function watched(subscriber: DocumentSubscriber, what: string) {
  const iterator = subscriber[Symbol.asyncIterator]();
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (Date.now() - last < STALL_MS) return;
      reject(new Error(`bus bench: no document from ${what} for ${STALL_MS} ms`));
    }, 1000);
  });
  stalled.catch(() => {});
  return {
    async next() {
      const result = await Promise.race([iterator.next(), stalled]);
      last = Date.now();
      return result;
    },
    stop: () => clearInterval(timer),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(
  transport: Transport,
  kind: string,
  doc: NamedDocument,
  n: number,
  pings: number,
) {
  const { publisher, subscriber, name } = transport;
  const docs = watched(subscriber, `${name} ${kind}`);
  const next = docs.next;
  await rate(
    `bus.${name}.${kind}.throughput`,
    "docs/s",
    n,
    async () => {
      // A window of documents in flight, well under ZeroMQ's default high-water mark of 1,000
      // frames, as a live producer would keep: throughput, not a test of the overflow path.
      let received = 0;
      for (let sent = 0; sent < n; ) {
        const burst = Math.min(WINDOW, n - sent);
        for (let i = 0; i < burst; i++) publisher.publish(...doc);
        sent += burst;
        for (; received < sent - WINDOW / 2; received++) await next();
      }
      for (; received < n; received++) await next();
    },
    { repeats: 3, warmup: 1 },
  );
  const latencies: number[] = [];
  for (let i = 0; i < pings; i++) {
    const t0 = process.hrtime.bigint();
    publisher.publish(...doc);
    await next();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  docs.stop();
  latencies.sort((a, b) => a - b);
  report({
    name: `bus.${name}.${kind}.latency_p50`,
    unit: "ms",
    n: pings,
    value: percentile(latencies, 50),
  });
  report({
    name: `bus.${name}.${kind}.latency_p99`,
    unit: "ms",
    n: pings,
    value: percentile(latencies, 99),
  });
}

const small = gaussianScanDocuments({ points: 1 })[2]!;
const image = gaussianScanDocuments({ points: 1, imageShape: [1024, 1024] })[2]!;

for (const open of [zmq, redis, websocket]) {
  const transport = await open();
  await measure(transport, "small_event", small, quick ? 2_000 : 20_000, quick ? 200 : 2_000);
  await measure(transport, "image_1MB", image, quick ? 5 : 30, quick ? 10 : 50);
  await transport.close();
}
