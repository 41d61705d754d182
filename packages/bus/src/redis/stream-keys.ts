import { BusConfigError } from "../errors.ts";

/** Where a beamline's documents live in Redis. */
export interface StreamKeys {
  /** The stream: one entry per document (fields seq, name, format, doc). */
  stream: string;
  /** The counter that numbers entries 1, 2, 3... across every publisher. */
  seq: string;
  /** Hash: run uid -> "<entry id> <seq>" of its start document. */
  runs: string;
  /** Sorted set of run uids by start seq, to keep the run index bounded. */
  runOrder: string;
  /** "<uid> <entry id> <seq>" of the latest start document: where "the current run" begins. */
  currentRun: string;
  /**
   * Hash: publisher id -> the last publish counter it stored, so that a command ioredis resends
   * after a reconnection (its answer was lost, not its effect) is not appended twice.
   */
  publishers: string;
}

/** Which stream and keys to use. */
export interface StreamLocation {
  /** The beamline (or any stream name): one stream per beamline. */
  beamline: string;
  /** Prefix of every key (default "cerulean"). */
  keyPrefix?: string;
}

/**
 * The keys of a beamline's document stream. The beamline is a hash tag ({...}) so that all of a
 * stream's keys land on one Redis Cluster slot, which the atomic scripts require.
 */
export function streamKeys(location: StreamLocation): StreamKeys {
  const { beamline, keyPrefix = "cerulean" } = location;
  if (beamline.length === 0 || /[\s{}]/.test(beamline)) {
    throw new BusConfigError(
      `beamline ${JSON.stringify(beamline)} cannot name a Redis stream; expected a non-empty name without spaces or braces`,
    );
  }
  const base = `${keyPrefix}:{${beamline}}:documents`;
  return {
    stream: base,
    seq: `${base}:seq`,
    runs: `${base}:runs`,
    runOrder: `${base}:run-order`,
    currentRun: `${base}:current-run`,
    publishers: `${base}:publishers`,
  };
}

/** The key holding the last seq delivered to a consumer group (for its gap check). */
export function groupSeqKey(keys: StreamKeys, group: string): string {
  return `${keys.stream}:group-seq:${group}`;
}

/** The entry id just before `id`, so that "read after it" includes `id` itself. */
export function previousEntryId(id: string): string {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (!match) throw new BusConfigError(`${JSON.stringify(id)} is not a Redis stream entry id`);
  const ms = BigInt(match[1] ?? "0");
  const seq = BigInt(match[2] ?? "0");
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  if (ms === 0n) return "0-0";
  return `${ms - 1n}-18446744073709551615`;
}
