// Beacon anomaly detection: a server appearing or restarting is a reason to search again now.
// A lost beacon is not: UDP drops datagrams, and searching for every missing PV on each
// drop would flood the network. So ids are judged together with the beacon period.

interface ServerBeacons {
  lastId: number;
  lastSeenMs: number;
  /** The interval between consecutive beacons last measured (undefined: not yet known). */
  periodMs: number | undefined;
}

/** Beacons that may go missing in a row without it meaning anything. */
const LOST_BEACONS_TOLERATED = 2;
/** A beacon this many times sooner than the established period means a restarted server. */
const EARLY_FACTOR = 4;
/** Ids this far behind the last one are a counter that started over, not reordering. */
const HALF_RANGE = 0x8000_0000;

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
   * long), a beacon id going backwards (the server restarted and counts from 0 again), a
   * jump over more beacons than are plausibly lost, or a beacon arriving much sooner than the
   * established period (a restarted server beacons fast). One or two lost beacons are not.
   */
  observe(server: string, beaconId: number, nowMs: number): boolean {
    const known = this.#servers.get(server);
    if (!known || nowMs - known.lastSeenMs > this.#forgetAfterMs) {
      this.#servers.set(server, { lastId: beaconId, lastSeenMs: nowMs, periodMs: undefined });
      return true;
    }
    // The same beacon over a second route.
    if (beaconId === known.lastId) return false;
    const advance = (beaconId - known.lastId) >>> 0;
    const intervalMs = nowMs - known.lastSeenMs;
    known.lastId = beaconId;
    known.lastSeenMs = nowMs;
    if (advance >= HALF_RANGE || advance > LOST_BEACONS_TOLERATED + 1) {
      known.periodMs = undefined;
      return true;
    }
    if (advance > 1) return false; // beacons were lost; the interval says nothing
    const period = known.periodMs;
    known.periodMs = intervalMs;
    if (period !== undefined && intervalMs * EARLY_FACTOR < period) {
      known.periodMs = undefined;
      return true;
    }
    return false;
  }

  /** When the server was last heard from, in ms (undefined: never). */
  lastSeen(server: string): number | undefined {
    return this.#servers.get(server)?.lastSeenMs;
  }
}
