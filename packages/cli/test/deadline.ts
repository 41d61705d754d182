// Deadlines for test waits: a wait that never ends fails, naming what it waited for, instead of
// holding the test file (and CI) until its own timeout.

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

/**
 * Polls `ok` until it holds; fails after `timeoutMs`, or at once when `failed` returns a reason
 * (say, the process that should have made `ok` true has exited).
 */
export async function until(
  what: string,
  ok: () => boolean,
  options: { timeoutMs?: number; failed?: () => string | undefined } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (ok()) return;
    const reason = options.failed?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
