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
} from "../packages/bus/src/index.ts";
import { gaussianScanDocuments, startRedisServer } from "../packages/bus/src/testing/index.ts";
import type { NamedDocument } from "../packages/event-model/src/index.ts";
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
  const docs = subscriber[Symbol.asyncIterator]();
  await rate(
    `bus.${name}.${kind}.throughput`,
    "docs/s",
    n,
    async () => {
      for (let i = 0; i < n; i++) publisher.publish(...doc);
      for (let i = 0; i < n; i++) await docs.next();
    },
    { repeats: 3, warmup: 1 },
  );
  const latencies: number[] = [];
  for (let i = 0; i < pings; i++) {
    const t0 = process.hrtime.bigint();
    publisher.publish(...doc);
    await docs.next();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
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
