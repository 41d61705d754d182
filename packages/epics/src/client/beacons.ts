// Beacon anomaly detection: a server appearing or restarting is a reason to search again now.

interface ServerBeacons {
  lastId: number;
  lastSeenMs: number;
}

/** Tracks the beacons of each server ("ip:port") and flags anomalies. */
export class BeaconTracker {
  readonly #servers = new Map<string, ServerBeacons>();
  /** Forget a server after this long without a beacon (it went away). */
  readonly #forgetAfterMs: number;

  constructor(forgetAfterMs = 10 * 60_000) {
    this.#forgetAfterMs = forgetAfterMs;
  }

  /**
   * Records a beacon. Returns true for an anomaly: a server not heard from before (or for
   * long), or a beacon id that is not the next one (the server restarted).
   */
  observe(server: string, beaconId: number, nowMs: number): boolean {
    const known = this.#servers.get(server);
    this.#servers.set(server, { lastId: beaconId, lastSeenMs: nowMs });
    if (!known) return true;
    if (nowMs - known.lastSeenMs > this.#forgetAfterMs) return true;
    // Equal ids arrive over two routes; a jump back or ahead means a restart.
    return beaconId !== known.lastId && beaconId !== (known.lastId + 1) >>> 0;
  }

  /** When the server was last heard from, in ms (undefined: never). */
  lastSeen(server: string): number | undefined {
    return this.#servers.get(server)?.lastSeenMs;
  }
}
