// Deadlines for test waits: a wait that never ends fails, naming what it waited for, instead of
// holding the test file (and CI) until the runner's own timeout. Shared by every package's tests.

/** Resolves as `promise` does; rejects if it has not settled within `timeoutMs`. */
export async function within<T>(
  promise: PromiseLike<T>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface UntilOptions {
  /** Give up after this long (default 30,000 ms). */
  timeoutMs?: number;
  /** Poll period (default 10 ms). */
  intervalMs?: number;
  /** A reason to give up at once (say, the process that should make `ok` true has exited). */
  failed?: () => string | undefined;
  /** What to show of the state awaited when the time is up. */
  state?: () => unknown;
}

/** Polls `ok` until it holds; fails after `timeoutMs`, or at once when `failed` gives a reason. */
export async function until(
  what: string,
  ok: () => boolean,
  options: UntilOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (ok()) return;
    const reason = options.failed?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    if (Date.now() > end) {
      const state = options.state ? ` (last seen: ${JSON.stringify(options.state())})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
