import { after, before } from "node:test";
import type { WireFormat } from "../../src/document-bus.ts";
import { openRedisPublisher } from "../../src/redis/redis-publisher.ts";
import { openRedisSubscriber } from "../../src/redis/redis-subscriber.ts";
import { documentBusContract } from "../../src/testing/bus-contract.ts";
import { type RedisServer, startRedisServer } from "../../src/testing/redis-server.ts";

let redis: RedisServer;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis.stop();
});

let streams = 0;
for (const format of ["msgpack", "json"] as WireFormat[]) {
  documentBusContract(`redis streams (${format})`, async () => {
    const beamline = `contract-${format}-${++streams}`;
    const publisher = await openRedisPublisher({ redis: redis.url, beamline, format });
    return {
      publisher,
      replays: true,
      async subscribe(options) {
        const from = options.replay ? "current-run" : "live";
        return await openRedisSubscriber({ ...options, redis: redis.url, beamline, from });
      },
      async close() {
        await publisher.close();
      },
    };
  });
}
