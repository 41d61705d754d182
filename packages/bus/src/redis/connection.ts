import { Redis, type RedisOptions } from "ioredis";

/** A Redis server to use: a URL ("redis://127.0.0.1:6379/0"), ioredis options, or a client. */
export type RedisConnection = string | RedisOptions | Redis;

/**
 * A client of its own for a bus object (blocking reads need one), and whether it must be closed
 * with the bus object. A given client is duplicated for blocking use, reused otherwise.
 */
export function redisClient(
  connection: RedisConnection,
  purpose: "commands" | "blocking",
): { client: Redis; owned: boolean } {
  const blocking: RedisOptions = purpose === "blocking" ? { maxRetriesPerRequest: null } : {};
  if (connection instanceof Redis && purpose === "commands") {
    return { client: connection, owned: false };
  }
  const client =
    connection instanceof Redis
      ? connection.duplicate(blocking)
      : typeof connection === "string"
        ? new Redis(connection, blocking)
        : new Redis({ ...connection, ...blocking });
  // Connection trouble surfaces as failed commands, which the bus reports with context;
  // without a listener ioredis would also print every reconnection attempt.
  client.on("error", () => undefined);
  return { client, owned: true };
}

/** Closes a client at once; pending blocking reads end with an error the caller ignores. */
export function closeClient(client: Redis): void {
  client.disconnect(false);
}
