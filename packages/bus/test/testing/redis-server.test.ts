import { equal, rejects } from "node:assert/strict";
import { describe, it } from "node:test";
import { Redis } from "ioredis";
import { TestServerError } from "../../src/errors.ts";
import { startRedisServer } from "../../src/testing/redis-server.ts";

describe("the disposable redis-server fixture", () => {
  it("serves on 127.0.0.1 until stopped", async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on("error", () => undefined);
    await client.connect();
    equal(await client.call("PING"), "PONG");
    client.disconnect();
    await server.stop();
    const after = new Redis(server.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    after.on("error", () => undefined);
    await rejects(after.connect());
    after.disconnect();
    await server.stop(); // twice is fine
  });

  it("says how to install redis-server when the binary is missing", async () => {
    await rejects(startRedisServer({ binary: "/nonexistent/redis-server" }), (error: unknown) => {
      return (
        error instanceof TestServerError && error.message.includes("apt-get install redis-server")
      );
    });
  });
});
