import { BusConfigError } from "../errors.ts";

/**
 * A ZeroMQ endpoint, given as bluesky accepts it: "tcp://host:port" or "ipc:///path", "host:port"
 * (tcp implied), or a bare port number (tcp on 127.0.0.1; bluesky uses localhost).
 */
export type ZmqAddress = string | number;

/** The full endpoint URL of an address; throws BusConfigError for one that cannot be used. */
export function normalizeZmqAddress(address: ZmqAddress): string {
  if (typeof address === "number") {
    if (!Number.isInteger(address) || address < 0 || address > 65535) {
      throw new BusConfigError(`ZeroMQ port ${address} is not an integer from 0 to 65535`);
    }
    return `tcp://127.0.0.1:${address === 0 ? "*" : address}`;
  }
  if (address.includes("://")) return address;
  if (/^[^:]+:(\d+|\*)$/.test(address) || /^\[[^\]]+\]:(\d+|\*)$/.test(address)) {
    return `tcp://${address}`;
  }
  throw new BusConfigError(
    `ZeroMQ address ${JSON.stringify(address)} is not "tcp://host:port", "ipc://path", "host:port" or a port number`,
  );
}

/** The TCP port of a bound endpoint such as "tcp://127.0.0.1:40123", or undefined. */
export function portOf(endpoint: string | null): number | undefined {
  const match = endpoint ? /:(\d+)$/.exec(endpoint) : null;
  return match ? Number(match[1]) : undefined;
}
