// Retrying external reads: a detector may still be writing the file a datum points into.
import { setTimeout as sleep } from "node:timers/promises";
import { DataNotAccessible, EventModelValueError } from "./errors.ts";

/** 1 ms doubling up to 1.024 s (11 waits, about 2 s in all), as event-model's retry_intervals. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze(
  Array.from({ length: 11 }, (_, i) => 2 ** i),
);

/** True for Node's system errors (ENOENT, EAGAIN, EIO...): worth trying again, unlike a bug. */
export function isIoError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}

/** Normalises retry delays: null/undefined mean the default, an empty list means "try once". */
export function normalizeRetryDelays(delays: readonly number[] | null | undefined): number[] {
  if (delays === undefined) return [...DEFAULT_RETRY_DELAYS_MS];
  if (delays === null) return [];
  const list = [...delays];
  for (const delay of list) {
    if (!Number.isFinite(delay) || delay < 0) {
      throw new EventModelValueError(
        `retry delays must be finite non-negative milliseconds, got ${JSON.stringify(delays)}`,
      );
    }
  }
  return list;
}

/**
 * Runs `attempt`, retrying after each delay of `delaysMs` while it fails with an error that
 * `isRetryable` accepts; other errors pass through at once. When every retry has failed, throws
 * DataNotAccessible (`describe()` says what was being read) with the last error as cause.
 */
export async function withRetries<T>(
  attempt: () => T | Promise<T>,
  delaysMs: readonly number[],
  isRetryable: (error: unknown) => boolean,
  describe: () => string,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const delay = delaysMs[i];
      if (delay === undefined) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DataNotAccessible(
          `${describe()}: still failing after ${i + 1} attempt${i === 0 ? "" : "s"}: ${reason}`,
          { cause: error },
        );
      }
      await sleep(delay);
    }
  }
}
